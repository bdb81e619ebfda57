package org.trapline.server;

/**
 * A {@code HOST:PORT} to listen on ({@code [v6]:PORT} for IPv6), as given in settings or on the
 * command line.
 */
public record BindAddress(String host, int port) {
    public BindAddress {
        if (host == null || host.isBlank()) {
            throw new ConfigurationException("bind address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigurationException("port out of range: " + port);
        }
    }

    /** Parses {@code what} (named in the error so the operator knows which setting to fix). */
    public static BindAddress parse(String value, String what) {
        String v = value == null ? "" : value.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new ConfigurationException(what + ": expected HOST:PORT, got '" + v + "'");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new BindAddress(host, Integer.parseInt(v.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new ConfigurationException(what + ": port is not a number in '" + v + "'");
        } catch (ConfigurationException e) {
            throw new ConfigurationException(what + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
