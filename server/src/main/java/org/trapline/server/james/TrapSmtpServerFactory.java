package org.trapline.server.james;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.trapline.mailets.spool.DurableReplies;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * James's SMTP servers, each channel with {@link DurableReplies} last in its pipeline: a 250 waits there
 * for the spool's fdatasync while the thread that served it goes on with other sessions. James builds the
 * rest of the pipeline as always; this only wraps its initializer.
 */
public class TrapSmtpServerFactory extends SMTPServerFactory {
    @Inject
    public TrapSmtpServerFactory(DNSService dns, ProtocolHandlerLoader loader, FileSystem fileSystem, MetricFactory metricFactory) {
        super(dns, loader, fileSystem, metricFactory);
    }

    @Override
    protected SMTPServer createServer() {
        return new SMTPServer(smtpMetrics) {
            @Override
            protected void configureBootstrap(ServerBootstrap bootstrap) {
                super.configureBootstrap(bootstrap);
                // James sets its channel initializer before it calls this; ours runs it, then adds the handler.
                ChannelHandler james = bootstrap.config().childHandler();
                bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(james).addLast("trapline-durable-replies", new DurableReplies());
                    }
                });
            }
        };
    }
}
