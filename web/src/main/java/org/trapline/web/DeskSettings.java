package org.trapline.web;

import java.util.Optional;
import java.util.Properties;

/**
 * Where the web desk listens and how it sets its cookies.
 *
 * @param host      the address to listen on; loopback unless the operator chose another
 * @param port      the port, 0 for one the kernel picks
 * @param behindTls the desk is reached through a TLS proxy, so its cookies carry {@code Secure}
 */
public record DeskSettings(String host, int port, boolean behindTls) {
    public static final String BIND = "desk.bind";
    public static final String BEHIND_TLS = "desk.behind-tls";
    public static final String DEFAULT_BIND = "127.0.0.1:8025";

    public DeskSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(BIND + " needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(BIND + ": port out of range: " + port);
        }
    }

    /**
     * {@code desk.bind} (HOST:PORT, {@code [v6]:PORT}, or {@code off}) and {@code desk.behind-tls}; empty when
     * the desk is off.
     *
     * @throws IllegalArgumentException naming the key, for a value that is no address or no boolean
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
        return Optional.of(parse(bind, Boolean.parseBoolean(tls)));
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
        return parse(bind, behindTls);
    }
}
