package org.trapline.server.james;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

/** James's SMTP server factory, making {@link TrapSmtpServer}s. */
public class TrapSmtpServerFactory extends SMTPServerFactory {
    private final ClientEventLog events;

    @Inject
    public TrapSmtpServerFactory(DNSService dns, ProtocolHandlerLoader loader, FileSystem fileSystem, MetricFactory metricFactory,
                                 ClientEventLog events) {
        super(dns, loader, fileSystem, metricFactory);
        this.events = events;
    }

    @Override
    protected SMTPServer createServer() {
        return new TrapSmtpServer(smtpMetrics, events);
    }
}
