package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.apache.james.protocols.api.ProtocolConfiguration;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;

/** A reply leaves only once the message it acknowledges is on disk, and replies keep their order. */
class DurableRepliesTest {
    private EmbeddedChannel channel;
    private ProtocolSession session;

    @BeforeEach
    void connect() {
        channel = new EmbeddedChannel();
        session = new ProtocolSessionImpl(stub(ProtocolTransport.class), stub(ProtocolConfiguration.class));
        // James's core handler puts the session on the channel when it becomes active.
        channel.attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).set(session);
        channel.pipeline().addLast(new DurableReplies());
        channel.pipeline().fireChannelActive();
    }

    @Test
    void tellsTheSessionItIsThere() {
        assertThat(session.getAttachment(DurableReplies.INSTALLED, ProtocolSession.State.Connection)).contains(true);
    }

    @Test
    void theReplyToAMessageWaitsForTheDiskAndTheRepliesAfterItWaitBehindIt() {
        channel.writeAndFlush(reply("250 ok mail from"));
        assertThat(next()).isEqualTo("250 ok mail from");

        CompletableFuture<Void> durable = new CompletableFuture<>();
        session.setAttachment(DurableReplies.AWAITING, new DurableReplies.AwaitedIntake(durable), ProtocolSession.State.Connection);
        ChannelFuture accepted = channel.writeAndFlush(reply("250 2.6.0 Message received"));
        // A pipelining client sent QUIT right after the final dot.
        channel.writeAndFlush(reply("221 bye"));
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).as("nothing before the fdatasync").isNull();
        assertThat(accepted.isDone()).isFalse();

        durable.complete(null);
        channel.runPendingTasks();
        assertThat(next()).isEqualTo("250 2.6.0 Message received");
        assertThat(next()).isEqualTo("221 bye");
        assertThat(accepted.isSuccess()).isTrue();
    }

    @Test
    void aMessageAlreadyOnDiskIsAnsweredAtOnce() {
        session.setAttachment(DurableReplies.AWAITING, new DurableReplies.AwaitedIntake(CompletableFuture.completedFuture(null)),
                ProtocolSession.State.Connection);
        channel.writeAndFlush(reply("250 2.6.0 Message received"));
        assertThat(next()).isEqualTo("250 2.6.0 Message received");
    }

    @Test
    void whenTheSyncFailsTheClientHears451InsteadOf250() {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        session.setAttachment(DurableReplies.AWAITING, new DurableReplies.AwaitedIntake(durable), ProtocolSession.State.Connection);
        channel.writeAndFlush(reply("250 2.6.0 Message received"));
        channel.writeAndFlush(reply("250 2.1.0 Sender OK"));
        durable.completeExceptionally(new IOException("EIO"));
        channel.runPendingTasks();
        assertThat(next()).startsWith("451 4.3.0").contains("try again later");
        assertThat(next()).isEqualTo("250 2.1.0 Sender OK");
    }

    @Test
    void aConnectionThatGoesAwayNeverGetsTheHeldReply() {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        session.setAttachment(DurableReplies.AWAITING, new DurableReplies.AwaitedIntake(durable), ProtocolSession.State.Connection);
        ByteBuf held = reply("250 2.6.0 Message received");
        ChannelFuture accepted = channel.writeAndFlush(held);
        channel.close();
        durable.complete(null);
        channel.runPendingTasks();
        assertThat(accepted.isSuccess()).isFalse();
        assertThat(held.refCnt()).as("its buffer is freed").isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    private static ByteBuf reply(String line) {
        return Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.US_ASCII);
    }

    private String next() {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a reply was sent").isNotNull();
        try {
            return out.toString(StandardCharsets.US_ASCII).stripTrailing();
        } finally {
            out.release();
        }
    }

    /** An interface whose methods all answer null, false or 0: enough for a session that is never used to talk. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Class<?> r = method.getReturnType();
            if (r == boolean.class) {
                return false;
            }
            if (r == int.class || r == long.class) {
                return 0;
            }
            if (r == java.util.Optional.class) {
                return java.util.Optional.empty();
            }
            return null;
        });
    }
}
