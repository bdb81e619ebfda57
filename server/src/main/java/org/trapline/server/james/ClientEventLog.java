package org.trapline.server.james;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per kind of client misbehaviour per client per minute. A hostile client repeats itself by
 * the thousand (resets, unoffered STARTTLS, idle sessions, connection floods); the operator needs to know
 * that it happens and who does it, not every instance. The first event of a kind from a client is logged
 * at once; the next ones within {@link #WINDOW} are counted, and the count is reported on the line of the
 * first event after the window. Never a stack trace: these are the client's doing, not ours.
 *
 * <p>IPv6 clients are counted by their /64, which is what one subscriber or host holds. The number of
 * clients tracked is bounded; past {@link #MAX_CLIENTS}, expired entries are dropped and, if that is not
 * enough, the remaining clients share one entry per kind.
 */
public class ClientEventLog {
    /** What the client did; each kind is limited separately. */
    public enum Kind {
        CONNECTION_RESET("connection reset or broken by client"),
        TLS_FAILURE("TLS failure"),
        STARTTLS_NOT_OFFERED("STARTTLS refused: not offered"),
        PLAINTEXT_AFTER_STARTTLS("discarded plaintext sent after STARTTLS, before the TLS handshake"),
        COMMAND_TOO_LONG("command line too long"),
        IDLE_TIMEOUT("idle timeout"),
        TOO_MANY_CONNECTIONS("connection refused");

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_CLIENTS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ClientEventLog.class);

    private record Key(Kind kind, InetAddress client) {
    }

    /** Since when the current window runs, and how many events it swallowed. Guarded by itself. */
    private static final class Window {
        Instant start;
        long suppressed;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Clock clock;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    @Inject
    public ClientEventLog(Clock clock) {
        this.clock = clock;
    }

    /** Notes one event from the client at {@code remote} ({@code detail} may be empty); logs it unless its window is full. */
    public void note(Kind kind, SocketAddress remote, String detail) {
        InetAddress client = clientOf(remote);
        Instant now = clock.instant();
        Key key = keyFor(kind, client, now);
        Window w = windows.computeIfAbsent(key, k -> new Window(now.minus(WINDOW)));
        long suppressed;
        synchronized (w) {
            if (now.isBefore(w.start.plus(WINDOW))) {
                w.suppressed++;
                return;
            }
            suppressed = w.suppressed;
            w.start = now;
            w.suppressed = 0;
        }
        String who = key.client() == null ? "(many clients)" : describe(key.client());
        String more = suppressed == 0 ? "" : " (" + suppressed + " more from it in the last minute, not logged)";
        String text = detail == null || detail.isEmpty() ? "" : ": " + detail;
        if (kind == Kind.TOO_MANY_CONNECTIONS) {
            LOG.warn("SMTP client {}: {}{}{}", who, kind.text, text, more);
        } else {
            LOG.info("SMTP client {}: {}{}{}", who, kind.text, text, more);
        }
    }

    private Key keyFor(Kind kind, InetAddress client, Instant now) {
        Key key = new Key(kind, client);
        if (windows.size() >= MAX_CLIENTS && !windows.containsKey(key)) {
            // A client quiet for a whole window loses its count of suppressed events with its entry.
            windows.values().removeIf(w -> {
                synchronized (w) {
                    return !now.isBefore(w.start.plus(WINDOW));
                }
            });
            if (windows.size() >= MAX_CLIENTS) {
                return new Key(kind, null);
            }
        }
        return key;
    }

    private static String describe(InetAddress client) {
        return client instanceof Inet6Address ? client.getHostAddress() + "/64" : client.getHostAddress();
    }

    /** The address a client is counted by: itself for IPv4, its /64 for IPv6. */
    static InetAddress clientOf(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return null;
        }
        InetAddress address = inet.getAddress();
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address;
    }
}
