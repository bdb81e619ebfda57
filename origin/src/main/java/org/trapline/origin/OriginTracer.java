package org.trapline.origin;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.trapline.common.net.IpAddress;

/**
 * Walks a message's relays newest first and finds its origin hop.
 *
 * <p>The newest hop is our MX's own view of the connection when one is given ({@link
 * ClientConnection}); our MX's own Received header for that connection (the newest header, naming
 * the same client address) is then not read as a separate hop. Without a connection the newest
 * header is taken as written by us, as SpamAssassin does.
 *
 * <p>A hop is believed when the host that recorded it is trusted: the connection always, a header
 * when the hop above it had a trusted client. Walking down:
 * <ol>
 *   <li>client in the trusted networks (or loopback): a trusted relay; keep walking;</li>
 *   <li>otherwise, authenticated submission (the receiver recorded SMTP AUTH or a webmail login, or
 *       the receiver is one of our MSAs): a trusted relay, as in SpamAssassin, and the origin: the
 *       authenticated client is who put the message into our systems;</li>
 *   <li>otherwise: the first untrusted relay and the origin.</li>
 * </ol>
 * Everything below the origin was written by the sender's side and is listed as untrusted
 * ("claimed"), never used for the origin; in particular headers below an authenticated submission are
 * not believed, because the submitting client wrote them. The origin's time is the time its trusted
 * receiver recorded. Extra hop headers (see {@link TrustPolicy}) are pseudo-hops below all
 * Received headers: a webmail host's record of the browser's address; their receiver is the client
 * of the hop above and their time that hop's time. A message with no relay at all gets no extra hop:
 * nothing we trust vouches for it.
 *
 * <p>Thread-safe; nothing is thrown for hostile headers. At most {@link #MAX_RECEIVED} Received
 * headers are read; older ones are counted as not relays.
 */
public final class OriginTracer {

    /** Most Received headers read per message. */
    public static final int MAX_RECEIVED = 1000;

    private static final int MAX_EXTRA_VALUE = 1024;

    private final TrustPolicy policy;
    private final ReceivedParser parser = new ReceivedParser();

    public OriginTracer(TrustPolicy policy) {
        this.policy = policy;
    }

    /** The policy this tracer applies. */
    public TrustPolicy policy() {
        return policy;
    }

    /** Traces a raw message (headers are read from the bytes, bounded). */
    public Trace trace(byte[] rawMessage, ClientConnection connection) {
        return trace(MessageHeaders.parse(rawMessage), connection);
    }

    /** Traces a message read from a stream; only the header section is read. */
    public Trace trace(InputStream rawMessage, ClientConnection connection) throws IOException {
        return trace(MessageHeaders.read(rawMessage), connection);
    }

    /**
     * Traces a message by its headers.
     *
     * @param headers    the message's headers
     * @param connection our MX's view of the delivering connection, or null when unknown (a stored or
     *                   forwarded message)
     */
    public Trace trace(HeaderSource headers, ClientConnection connection) {
        List<String> received = headers.values("Received");
        List<Relay> hops = new ArrayList<>();
        int notRelays = Math.max(0, received.size() - MAX_RECEIVED);
        int start = 0;
        if (connection != null) {
            Relay conn = connection.asRelay();
            if (!received.isEmpty()) {
                Optional<Relay> top = parser.parse(received.get(0));
                if (top.isPresent() && top.get().ip().equals(conn.ip())) {
                    start = 1; // our MX's own header for this very connection
                    Relay own = top.get();
                    conn = new Relay(conn.ip(), conn.port() != Endpoint.UNKNOWN_PORT ? conn.port() : own.port(),
                            own.rdns(), conn.helo().isEmpty() ? own.helo() : conn.helo(),
                            conn.by().isEmpty() ? own.by() : conn.by(), own.ident(), own.envfrom(), own.id(),
                            own.auth(), conn.time() != null ? conn.time() : own.time());
                }
            }
            hops.add(conn);
        }
        for (int i = start; i < Math.min(received.size(), MAX_RECEIVED); i++) {
            Optional<Relay> r = parser.parse(received.get(i));
            if (r.isPresent()) {
                hops.add(r.get());
            } else {
                notRelays++;
            }
        }
        addExtraHops(headers, hops);
        return walk(hops, notRelays);
    }

    /**
     * Walks relays already parsed, newest first (the first one recorded by a host we trust, e.g. our
     * own connection). Exposed for callers that parse themselves.
     */
    public Trace walk(List<Relay> hops, int notRelays) {
        List<Relay> trusted = new ArrayList<>();
        List<Relay> untrusted = new ArrayList<>();
        List<Relay> internal = new ArrayList<>();
        OriginHop origin = null;
        boolean believed = true;
        boolean inInternal = true;
        boolean receivedByMsa = false;
        for (Relay hop : hops) {
            if (!believed) {
                untrusted.add(hop);
                continue;
            }
            if (inInternal && (policy.isInternal(hop.ip()) || hop.authenticated())) {
                internal.add(hop);
            } else {
                inInternal = false;
            }
            boolean clientTrusted = policy.isTrusted(hop.ip());
            if (clientTrusted) {
                trusted.add(hop);
                receivedByMsa = policy.isMsa(hop.ip());
                continue;
            }
            if (hop.authenticated() || receivedByMsa) {
                trusted.add(hop);
            } else {
                untrusted.add(hop);
            }
            origin = OriginHop.of(hop);
            believed = false;
        }
        return new Trace(Optional.ofNullable(origin), trusted, untrusted, internal, notRelays);
    }

    private void addExtraHops(HeaderSource headers, List<Relay> hops) {
        if (hops.isEmpty()) {
            return; // nothing we trust vouches for a header in a message without relays
        }
        for (String name : policy.extraHopHeaders()) {
            List<String> values = headers.values(name);
            if (values.isEmpty()) {
                continue;
            }
            String ip = firstAddress(values.get(0));
            if (ip == null) {
                continue;
            }
            Relay above = hops.get(hops.size() - 1);
            String by = !above.rdns().isEmpty() ? above.rdns() : !above.helo().isEmpty() ? above.helo() : above.ip();
            hops.add(new Relay(ip, "", "", by, "", "", "", "", above.time()));
        }
    }

    /** The first address literal in a webmail header value such as "[192.0.2.1]" or "x via 192.0.2.1". */
    static String firstAddress(String value) {
        String v = value.length() > MAX_EXTRA_VALUE ? value.substring(0, MAX_EXTRA_VALUE) : value;
        for (String token : v.split("[\\s\\[\\](),;<>\"]+")) {
            String ip = IpAddress.canonicalOrNull(token);
            if (ip != null) {
                return ip;
            }
        }
        return null;
    }
}
