package org.trapline.server.james;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds the SMTP sessions a server holds open: at most {@code maxConnections} in all and
 * {@code maxPerClient} from one client (an IPv4 address, or an IPv6 /64: see {@link ClientEventLog#clientOf}).
 * A connection past a limit hears {@code 421 4.7.0} and is closed at once; the handlers behind this one
 * never see it, so it costs no session, no greeting and no log line beyond {@link ClientEventLog}'s.
 * Idle sockets can therefore not use up the process's file descriptors, whoever opens them.
 *
 * <p>Replaces James's {@code ConnectionLimitUpstreamHandler} and {@code ConnectionPerIpLimitUpstreamHandler},
 * which close without a reply, still pass the connection on to the session handler, and keep a counter for
 * every address ever seen. One instance per server, first in every channel's pipeline; {@code 0} means no
 * limit.
 */
@ChannelHandler.Sharable
public final class ConnectionLimits extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("trapline.counted");
    private static final AttributeKey<InetAddress> COUNTED_AS = AttributeKey.valueOf("trapline.counted-as");
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("trapline.refused");

    private final int maxConnections;
    private final int maxPerClient;
    private final String hostName;
    private final ClientEventLog events;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxConnections, int maxPerClient, String hostName, ClientEventLog events) {
        this.maxConnections = maxConnections;
        this.maxPerClient = maxPerClient;
        this.hostName = hostName;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress client = ClientEventLog.clientOf(ctx.channel().remoteAddress());
        String refusal = admit(client);
        if (refusal == null) {
            ctx.channel().attr(COUNTED).set(Boolean.TRUE);
            ctx.channel().attr(COUNTED_AS).set(client);
            super.channelActive(ctx);
            return;
        }
        ctx.channel().attr(REFUSED).set(Boolean.TRUE);
        events.note(ClientEventLog.Kind.TOO_MANY_CONNECTIONS, ctx.channel().remoteAddress(), refusal);
        ctx.writeAndFlush(Unpooled.copiedBuffer("421 4.7.0 " + hostName + " " + refusal + ", try again later\r\n",
                StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Counts the connection in and returns null, or returns why it is refused (and counts nothing). */
    private String admit(InetAddress client) {
        if (open.incrementAndGet() > maxConnections && maxConnections > 0) {
            open.decrementAndGet();
            return "too many connections (limit " + maxConnections + ")";
        }
        if (maxPerClient > 0 && client != null) {
            boolean[] over = {false};
            perClient.compute(client, (c, n) -> {
                int count = n == null ? 0 : n;
                if (count >= maxPerClient) {
                    over[0] = true;
                    return n;
                }
                return count + 1;
            });
            if (over[0]) {
                open.decrementAndGet();
                return "too many connections from one address (limit " + maxPerClient + ")";
            }
        }
        return null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (refused(ctx)) {
            return;
        }
        if (Boolean.TRUE.equals(ctx.channel().attr(COUNTED).getAndSet(null))) {
            open.decrementAndGet();
        }
        InetAddress client = ctx.channel().attr(COUNTED_AS).getAndSet(null);
        if (maxPerClient > 0 && client != null) {
            // An address whose last connection closed is forgotten, so the map holds only open clients.
            perClient.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused(ctx)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (refused(ctx)) {
            ctx.close();
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    private static boolean refused(ChannelHandlerContext ctx) {
        return Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get());
    }
}
