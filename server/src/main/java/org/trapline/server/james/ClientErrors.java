package org.trapline.server.james;

import java.io.IOException;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;

/**
 * Turns what a client does to its own connection (a reset, a broken pipe, a TLS handshake it botches)
 * into one rate-limited line of {@link ClientEventLog} and a closed channel. James's session handler logs
 * each of them at ERROR with a stack trace, which under a scan or a botnet's reconnect storm buries the
 * log. Anything else (a fault of ours) still reaches James's handler and is logged in full.
 *
 * <p>One instance per server, in every channel's pipeline right before James's session handler.
 */
@ChannelHandler.Sharable
final class ClientErrors extends ChannelInboundHandlerAdapter {
    private final ClientEventLog events;

    ClientErrors(ClientEventLog events) {
        this.events = events;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        ClientEventLog.Kind kind = kindOf(cause);
        if (kind == null) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        events.note(kind, ctx.channel().remoteAddress(), describe(cause));
        ctx.close();
    }

    /** What the client did, or null when the fault is not the client's. */
    static ClientEventLog.Kind kindOf(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof SSLException || t instanceof NotSslRecordException) {
            return ClientEventLog.Kind.TLS_FAILURE;
        }
        if (t instanceof IOException) {
            return ClientEventLog.Kind.CONNECTION_RESET;
        }
        return null;
    }

    private static String describe(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String message = t.getMessage() == null ? "" : t.getMessage();
        // Messages of TLS failures can be long and multi-line; the first line says what happened.
        int nl = message.indexOf('\n');
        message = nl >= 0 ? message.substring(0, nl) : message;
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : " " + (message.length() > 200 ? message.substring(0, 200) : message));
    }
}
