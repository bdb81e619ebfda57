package org.trapline.web.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.TerminalText;
import org.trapline.common.net.IpAddress;
import org.trapline.web.Refusal;

import io.javalin.http.Context;

/**
 * Where a request comes from, for the login throttle and the log: the connection's peer, or, for a request
 * {@code bin/trapline desk} relayed through the control socket (so it reaches this desk from loopback), the
 * browser's address the relay carried. The relay's word is taken only with this desk's relay key, which the
 * server hands to its half of the relay in process and nobody else sees; any other request naming a relayed
 * address is refused.
 */
public final class ClientAddress {
    public static final String RELAY_KEY = "X-Trapline-Relay-Key";
    public static final String RELAYED_FOR = "X-Trapline-Relayed-For";
    private static final String ATTRIBUTE = "trapline.client";
    private static final Logger LOG = LoggerFactory.getLogger(ClientAddress.class);

    private final String key;

    /** @param key this desk's relay key: random, never logged */
    public ClientAddress(String key) {
        this.key = key;
    }

    /** The before-handler of every request: notes its client address, or refuses a relayed one without the key. */
    public void resolve(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        String given = ctx.header(RELAY_KEY);
        if (given == null) {
            ctx.attribute(ATTRIBUTE, peer);
            return;
        }
        IpAddress from = IpAddress.parseOrNull(peer);
        IpAddress relayedFor = IpAddress.parseOrNull(ctx.header(RELAYED_FOR));
        if (from == null || !from.isLoopback() || !StaffSessions.same(key, given) || relayedFor == null) {
            LOG.warn("desk: refused a request from {} claiming to be relayed for {}", peer, TerminalText.safe(ctx.header(RELAYED_FOR)));
            throw new Refusal(403, "a relayed request without this desk's relay key");
        }
        ctx.attribute(ATTRIBUTE, relayedFor.toString());
    }

    /** The client address {@link #resolve} noted: the browser's, also through the relay. */
    public static String of(Context ctx) {
        String a = ctx.attribute(ATTRIBUTE);
        return a != null ? a : ctx.req().getRemoteAddr();
    }
}
