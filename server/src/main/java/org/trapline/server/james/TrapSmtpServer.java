package org.trapline.server.james;

import java.lang.management.ManagementFactory;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.mailets.spool.DurableReplies;

import com.sun.management.UnixOperatingSystemMXBean;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * James's SMTP server with the channel pipeline Trapline needs around James's session handler:
 * {@link ConnectionLimits} (smtpserver.xml's {@code connectionLimit} and {@code connectionLimitPerIP}),
 * {@link SmtpFramer}, {@link IdleTimeout} ({@code connectiontimeout}), {@link ClientErrors}, the session
 * handler, and {@link DurableReplies} last, where a 250 waits for the spool's fdatasync while the thread
 * that served it goes on with other sessions. James's own framer, limit and timeout handlers are not
 * used: see those classes.
 *
 * <p>Every handler runs on the channel's event loop. James runs its framer on a separate executor group;
 * ours must see the session as the session handler left it after the previous line, so it runs where the
 * session handler does.
 */
final class TrapSmtpServer extends SMTPServer {
    /** File descriptors left to the stores (H2, Lucene segments, spool, raw packs) and the class path. */
    private static final long FILE_DESCRIPTORS_KEPT = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TrapSmtpServer.class);

    private final ClientEventLog events;
    private ConnectionLimits limits;
    private ClientErrors clientErrors;

    TrapSmtpServer(SmtpMetrics metrics, ClientEventLog events) {
        super(metrics);
        this.events = events;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        if (proxyRequired) {
            throw new ConfigurationException("smtpserver.xml: proxyRequired is not supported by Trapline's SMTP server");
        }
        limits = new ConnectionLimits(connectionLimit, connPerIP, getHelloName(), events);
        clientErrors = new ClientErrors(events);
        warnIfSessionsCanExhaustFileDescriptors();
    }

    /** Sessions beyond the descriptors left after the stores' own files would fail the process, not the client. */
    private void warnIfSessionsCanExhaustFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long usable = os.getMaxFileDescriptorCount() - FILE_DESCRIPTORS_KEPT;
            if (connectionLimit == 0 || connectionLimit > usable) {
                LOG.warn("smtp.max-connections={} leaves too few of the process's {} file descriptors for the databases, index and spool; "
                        + "set it to at most {} or raise the limit (ulimit -n)", connectionLimit, os.getMaxFileDescriptorCount(), Math.max(usable, 0));
            }
        }
    }

    @Override
    protected ChannelHandlerFactory createFrameHandlerFactory() {
        return pipeline -> new SmtpFramer(getHelloName(), events);
    }

    @Override
    protected AbstractChannelPipelineFactory createPipelineFactory() {
        return new AbstractChannelPipelineFactory<SocketChannel>(getFrameHandlerFactory(), getExecutorGroup()) {
            @Override
            protected void initChannel(SocketChannel channel) {
                ChannelPipeline pipeline = channel.pipeline();
                pipeline.addLast("trapline-connection-limits", limits);
                if (encryption != null && encryption.supportsEncryption() && !encryption.isStartTLS()) {
                    pipeline.addFirst(HandlerConstants.SSL_HANDLER, encryption.sslHandler());
                }
                pipeline.addLast(HandlerConstants.FRAMER, getFrameHandlerFactory().create(pipeline));
                // James's stream responses are written as ChunkedInput.
                pipeline.addLast(HandlerConstants.CHUNK_HANDLER, new ChunkedWriteHandler());
                pipeline.addLast(HandlerConstants.TIMEOUT_HANDLER, new IdleTimeout(getTimeout(), getHelloName(), events));
                pipeline.addLast("trapline-client-errors", clientErrors);
                pipeline.addLast(HandlerConstants.CORE_HANDLER, createHandler());
                pipeline.addLast("trapline-durable-replies", new DurableReplies());
            }

            @Override
            protected ChannelInboundHandlerAdapter createHandler() {
                return createCoreHandler();
            }
        };
    }
}
