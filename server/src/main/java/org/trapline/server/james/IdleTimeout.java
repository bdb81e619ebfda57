package org.trapline.server.james;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes an SMTP session whose client sent nothing for {@code seconds}, with {@code 421 4.4.2} first
 * (RFC 5321 4.5.3.2: a server may close a connection that times out, and should say so with 421).
 *
 * <p>Replaces James's {@code TimeoutHandler}, which acts only on Netty's second reader-idle event of a
 * silence (it compares the event with {@code READER_IDLE_STATE_EVENT}, and the first of a silence is
 * {@code FIRST_READER_IDLE_STATE_EVENT}), so its sessions lived for twice the configured timeout. One
 * instance per channel.
 */
final class IdleTimeout extends IdleStateHandler {
    /** How long the 421 may take to reach a client that does not read before the socket is closed anyway. */
    private static final long GOODBYE_SECONDS = 10;

    private final String hostName;
    private final ClientEventLog events;

    IdleTimeout(int seconds, String hostName, ClientEventLog events) {
        super(seconds, 0, 0);
        this.hostName = hostName;
        this.events = events;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() != IdleState.READER_IDLE || !evt.isFirst()) {
            return;
        }
        events.note(ClientEventLog.Kind.IDLE_TIMEOUT, ctx.channel().remoteAddress(), "closed after " + getReaderIdleTimeInMillis() / 1000 + " s of silence");
        // Through the whole pipeline, so the line waits behind any reply still held for the disk.
        ctx.channel().writeAndFlush(Unpooled.copiedBuffer("421 4.4.2 " + hostName + " Idle timeout, closing connection\r\n",
                StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> ctx.channel().close(), GOODBYE_SECONDS, TimeUnit.SECONDS);
    }
}
