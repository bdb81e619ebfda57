package org.trapline.server.james;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;

/**
 * Cuts an SMTP session's bytes into the frames James's session handler reads, keeping every byte.
 *
 * <ul>
 *   <li>Commands: one frame per line, ended by LF (with or without CR). A command line longer than
 *       {@link #MAX_COMMAND_LINE} octets is dropped whole and answered with one {@code 500 5.5.2}; the
 *       session goes on with the next line.</li>
 *   <li>During DATA (a {@link DataTransfer} is under way): lines of any length, as many whole lines in a
 *       frame as have arrived, up to {@link #DATA_PIECE} octets, and the line that ends the data by itself;
 *       a line longer than {@link #DATA_PIECE} goes out in pieces of that size, the last one ending in LF,
 *       so the message keeps every byte while a session never buffers more than a piece. Where frames
 *       are cut is {@link DataTransfer}'s business, which knows where the data ends.</li>
 *   <li>After a command that started TLS (STARTTLS answered 220), whatever the client had sent behind it
 *       in plaintext is discarded: it must not be read as if it had come through the encrypted channel.</li>
 * </ul>
 *
 * <p>Replaces James's {@code AllButStartTlsLineBasedChannelHandler}, which answers any line over 8 KB with
 * {@code 500 Line length exceeded} and drops it, also inside DATA, after which James stores the message
 * without it and answers 250. It decides the mode of each frame from the session as James's handler left
 * it after the frame before, which is exact because it runs on the channel's event loop, like the session
 * handler: Netty hands it each frame only after the previous one is processed. One instance per channel.
 */
final class SmtpFramer extends ByteToMessageDecoder {
    /** Longest command line, its line ending included: James's limit, far above RFC 5321's 512 octets. */
    static final int MAX_COMMAND_LINE = 8192;
    /** Largest frame of DATA lines, and the piece size of a longer line. */
    static final int DATA_PIECE = 64 * 1024;

    /** Connection attachment: whether the client's last command line ended with CRLF (else a bare LF). */
    static final ProtocolSession.AttachmentKey<Boolean> COMMAND_ENDED_WITH_CRLF =
            ProtocolSession.AttachmentKey.of("trapline.command-ended-with-crlf", Boolean.class);

    private final String hostName;
    private final ClientEventLog events;
    /** Inside a command line over the limit, dropping it up to its LF. */
    private boolean discarding;
    /** This read's bytes held a command, and TLS was not yet started when it went to the session handler. */
    private boolean plaintextCommandThisRead;

    SmtpFramer(String hostName, ClientEventLog events) {
        this.hostName = hostName;
        this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        plaintextCommandThisRead = false;
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (plaintextCommandThisRead && tlsStarted(ctx)) {
            events.note(ClientEventLog.Kind.PLAINTEXT_AFTER_STARTTLS, ctx.channel().remoteAddress(), in.readableBytes() + " bytes");
            in.skipBytes(in.readableBytes());
            return;
        }
        if (discarding) {
            skipRestOfLongLine(ctx, in);
            return;
        }
        ProtocolSession session = (ProtocolSession) ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
        DataTransfer transfer = session == null ? null
                : session.getAttachment(DataTransfer.KEY, ProtocolSession.State.Transaction).orElse(null);
        if (transfer != null) {
            int length = transfer.nextFrame(in, DATA_PIECE);
            if (length > 0) {
                out.add(copy(in, length));
            }
            return;
        }
        int start = in.readerIndex();
        int lf = in.indexOf(start, start + Math.min(in.readableBytes(), MAX_COMMAND_LINE), (byte) '\n');
        if (lf >= 0) {
            int length = lf - start + 1;
            if (session != null) {
                boolean crlf = length > 1 && in.getByte(lf - 1) == '\r';
                session.setAttachment(COMMAND_ENDED_WITH_CRLF, crlf, ProtocolSession.State.Connection);
                plaintextCommandThisRead = !tlsStarted(ctx);
            }
            out.add(copy(in, length));
        } else if (in.readableBytes() >= MAX_COMMAND_LINE) {
            discarding = true;
            skipRestOfLongLine(ctx, in);
        }
    }

    private void skipRestOfLongLine(ChannelHandlerContext ctx, ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
            return;
        }
        in.readerIndex(lf + 1);
        discarding = false;
        events.note(ClientEventLog.Kind.COMMAND_TOO_LONG, ctx.channel().remoteAddress(), "over " + MAX_COMMAND_LINE + " octets");
        // Through the whole pipeline, so the reply keeps its place behind replies held for the disk.
        ctx.channel().writeAndFlush(Unpooled.copiedBuffer("500 5.5.2 " + hostName + " Line too long (limit " + MAX_COMMAND_LINE
                + " octets), ignored\r\n", StandardCharsets.US_ASCII));
    }

    /**
     * A heap copy: the session handler copies each frame into an array anyway, and a pooled slice would
     * cost a thread-local lookup per line on James's I/O threads, which are not Netty's own.
     */
    private static ByteBuf copy(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return Unpooled.wrappedBuffer(bytes);
    }

    private static boolean tlsStarted(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }
}
