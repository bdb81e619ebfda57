package org.trapline.origin;

import java.time.OffsetDateTime;
import java.util.Objects;

import org.trapline.common.net.IpAddress;

/**
 * Our own MX's view of the SMTP connection that delivered the message: the newest hop, taken from
 * the socket and the SMTP dialogue, never from header text.
 *
 * @param ip         the remote address James saw (any literal form; mapped IPv6 is normalised)
 * @param port       the remote (source) port of that socket, or {@link Endpoint#UNKNOWN_PORT} (0)
 * @param helo       the HELO/EHLO argument the client sent ("" when unknown)
 * @param by         our MX's host name ("" when unknown)
 * @param receivedAt when our MX received the message, or null; when null the time is read from our
 *                   MX's own Received header for this connection, if it is the newest one
 */
public record ClientConnection(String ip, int port, String helo, String by, OffsetDateTime receivedAt) {

    public ClientConnection {
        Endpoint.checked(port);
        String canonical = IpAddress.canonicalOrNull(Objects.requireNonNull(ip, "ip"));
        if (canonical == null) {
            throw new IllegalArgumentException("'" + ip + "' is not an IP address");
        }
        ip = canonical;
        helo = Objects.requireNonNullElse(helo, "");
        by = Objects.requireNonNullElse(by, "");
    }

    /** A connection whose source port is unknown. */
    public ClientConnection(String ip, String helo, String by, OffsetDateTime receivedAt) {
        this(ip, Endpoint.UNKNOWN_PORT, helo, by, receivedAt);
    }

    /** A connection known only by its address and HELO. */
    public static ClientConnection of(String ip, String helo) {
        return new ClientConnection(ip, helo, "", null);
    }

    /** A connection known by its address, source port and HELO. */
    public static ClientConnection of(String ip, int port, String helo) {
        return new ClientConnection(ip, port, helo, "", null);
    }

    Relay asRelay() {
        return new Relay(ip, port, "", helo, by, "", "", "", "", receivedAt);
    }
}
