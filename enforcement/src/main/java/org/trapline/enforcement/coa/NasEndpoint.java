package org.trapline.enforcement.coa;

/**
 * Where a NAS listens for CoA/Disconnect and the secret it shares with us. {@link #toString()} hides
 * the secret so an endpoint can be logged.
 */
public record NasEndpoint(String host, int port, String secret) {

    public NasEndpoint {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("NAS host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("NAS CoA port out of range: " + port);
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("no shared secret for NAS " + host);
    }

    /** {@code host:port}, as the journal shows it. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "NasEndpoint[" + address() + ", secret=***]";
    }
}
