package org.trapline.mailets.spool;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Holds an SMTP session's replies back until the message they acknowledge is on disk, so that the
 * thread serving the session never waits for the disk itself. {@link SpoolHook} appends the message
 * to the {@link Spool} and leaves the append's durability future with the session; the next reply the
 * session writes is the one to that message (250, or whatever James's later hooks answered). This
 * handler keeps it, and every reply after it, in order, until the spool's flusher has synced the
 * record; then it lets them go. If the sync failed, the client hears 451 instead and sends the message
 * again. A reply never leaves before the message it acknowledges survives kill -9: steps 3 and 4 of the
 * {@link DurableIntake} protocol.
 *
 * <p>One instance per channel, added last to the pipeline of James's SMTP server (the composition root
 * does that), where it sees every write of the session first. All its methods run on the channel's event
 * loop. A session without it (a server built without this handler) keeps the spool hook waiting
 * for the disk on its own thread: {@link #channelActive} tells the session it is here.
 */
public final class DurableReplies extends ChannelDuplexHandler {
    /** Connection attachment: this handler is in the session's pipeline. */
    static final ProtocolSession.AttachmentKey<Boolean> INSTALLED =
            ProtocolSession.AttachmentKey.of("trapline.durable-replies", Boolean.class);
    /** Connection attachment: the message whose reply is the session's next write, and when it is on disk. */
    static final ProtocolSession.AttachmentKey<AwaitedIntake> AWAITING =
            ProtocolSession.AttachmentKey.of("trapline.awaited-intake", AwaitedIntake.class);

    /** What the spool hook hands over: when the message just appended is on disk. */
    record AwaitedIntake(CompletableFuture<Void> durable) {
    }

    /** The reply of a message whose sync failed: the client must not take it as accepted. */
    static final String NOT_STORED = SpoolHook.NOT_STORED_CODE + " " + SpoolHook.NOT_STORED_TEXT + "\r\n";

    /** A write held back; {@code durable} is null for a reply that only waits for an earlier one. */
    private record Held(Object message, ChannelPromise promise, CompletableFuture<Void> durable) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ProtocolSession session = session(ctx);
        if (session != null) {
            session.setAttachment(INSTALLED, Boolean.TRUE, ProtocolSession.State.Connection);
        }
        super.channelActive(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        ProtocolSession session = session(ctx);
        AwaitedIntake awaited = session == null ? null
                : session.removeAttachment(AWAITING, ProtocolSession.State.Connection).orElse(null);
        if (awaited == null) {
            if (held.isEmpty()) {
                ctx.write(message, promise);
            } else {
                held.add(new Held(message, promise, null));
            }
            return;
        }
        held.add(new Held(message, promise, awaited.durable()));
        if (awaited.durable().isDone()) {
            release(ctx);
        } else {
            // Completed on the spool's flusher thread; the replies go out on the channel's own thread.
            awaited.durable().whenComplete((ok, failure) -> ctx.executor().execute(() -> release(ctx)));
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // Held replies are flushed when they are let go.
        if (held.isEmpty()) {
            ctx.flush();
        }
    }

    /** Lets go of the held replies whose messages are on disk, in order, up to the first still waiting. */
    private void release(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!held.isEmpty()) {
            Held next = held.peek();
            if (next.durable() != null && !next.durable().isDone()) {
                break;
            }
            held.poll();
            if (next.durable() != null && next.durable().isCompletedExceptionally()) {
                ReferenceCountUtil.release(next.message());
                ctx.write(Unpooled.copiedBuffer(NOT_STORED, StandardCharsets.US_ASCII), next.promise());
            } else {
                ctx.write(next.message(), next.promise());
            }
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // The connection is gone with replies unsent: their messages were never acknowledged.
        for (Held h; (h = held.poll()) != null; ) {
            ReferenceCountUtil.release(h.message());
            h.promise().tryFailure(new java.nio.channels.ClosedChannelException());
        }
    }

    private static ProtocolSession session(ChannelHandlerContext ctx) {
        return (ProtocolSession) ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
    }
}
