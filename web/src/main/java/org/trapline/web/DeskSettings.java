package org.trapline.web;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.trapline.common.net.IpAddress;

/**
 * Where the web desk listens, how it sets its cookies, and whether a reverse proxy on this host names the
 * staff member.
 *
 * @param host              the address to listen on; loopback unless the operator chose another
 * @param port              the port, 0 for one the kernel picks
 * @param behindTls         the desk is reached through a TLS proxy, so its cookies carry {@code Secure}
 * @param trustedProxyHeader the header a single-sign-on proxy names the logged-in staff member in, or null (off,
 *                          the default)
 * @param trustedProxyFrom  the loopback addresses that proxy connects from; a request carrying the header from
 *                          any other address is refused
 */
public record DeskSettings(String host, int port, boolean behindTls, String trustedProxyHeader, List<IpAddress> trustedProxyFrom) {
    public static final String BIND = "desk.bind";
    public static final String BEHIND_TLS = "desk.behind-tls";
    public static final String TRUSTED_PROXY_HEADER = "desk.trusted-proxy.header";
    public static final String TRUSTED_PROXY_FROM = "desk.trusted-proxy.from";
    public static final String DEFAULT_BIND = "127.0.0.1:8025";
    public static final String DEFAULT_PROXY_FROM = "127.0.0.1, ::1";
    private static final java.util.regex.Pattern HEADER = java.util.regex.Pattern.compile("[A-Za-z0-9-]{1,64}");

    public DeskSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(BIND + " needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(BIND + ": port out of range: " + port);
        }
        if (trustedProxyHeader != null && !HEADER.matcher(trustedProxyHeader).matches()) {
            throw new IllegalArgumentException(TRUSTED_PROXY_HEADER + " must be a header name (letters, digits, dashes), got '"
                    + trustedProxyHeader + "'");
        }
        trustedProxyFrom = List.copyOf(trustedProxyFrom);
        for (IpAddress a : trustedProxyFrom) {
            if (!a.isLoopback()) {
                throw new IllegalArgumentException(TRUSTED_PROXY_FROM + " takes loopback addresses only (the proxy runs on this host), got "
                        + a);
            }
        }
    }

    /** No trusted proxy. */
    public DeskSettings(String host, int port, boolean behindTls) {
        this(host, port, behindTls, null, List.of());
    }

    /**
     * {@code desk.bind} (HOST:PORT, {@code [v6]:PORT}, or {@code off}), {@code desk.behind-tls} and
     * {@code desk.trusted-proxy.header} / {@code .from}; empty when the desk is off.
     *
     * @throws IllegalArgumentException naming the key, for a value that is no address, no boolean or no header name
     */
    public static Optional<DeskSettings> from(Properties settings) {
        String bind = settings.getProperty(BIND, DEFAULT_BIND).strip();
        String tls = settings.getProperty(BEHIND_TLS, "false").strip();
        if (!tls.equals("true") && !tls.equals("false")) {
            throw new IllegalArgumentException(BEHIND_TLS + " must be true or false, got '" + tls + "'");
        }
        if (bind.equals("off")) {
            return Optional.empty();
        }
        String header = settings.getProperty(TRUSTED_PROXY_HEADER, "").strip();
        List<IpAddress> from;
        try {
            from = Arrays.stream(settings.getProperty(TRUSTED_PROXY_FROM, DEFAULT_PROXY_FROM).split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).map(IpAddress::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TRUSTED_PROXY_FROM + ": " + e.getMessage(), e);
        }
        DeskSettings at = parse(bind, Boolean.parseBoolean(tls));
        return Optional.of(new DeskSettings(at.host(), at.port(), at.behindTls(), header.isEmpty() ? null : header, from));
    }

    public static DeskSettings parse(String bind, boolean behindTls) {
        int colon = bind.lastIndexOf(':');
        if (colon <= 0 || colon == bind.length() - 1) {
            throw new IllegalArgumentException(BIND + ": expected HOST:PORT or off, got '" + bind + "'");
        }
        String host = bind.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new DeskSettings(host, Integer.parseInt(bind.substring(colon + 1)), behindTls);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BIND + ": port is not a number in '" + bind + "'");
        }
    }

    /** The same desk on another address, as {@code bin/trapline desk --bind} asks. */
    public DeskSettings at(String bind) {
        DeskSettings moved = parse(bind, behindTls);
        return new DeskSettings(moved.host(), moved.port(), behindTls, trustedProxyHeader, trustedProxyFrom);
    }
}
