package org.trapline.attribution.accounting;

import java.nio.charset.StandardCharsets;

import org.trapline.common.net.IpPrefix;

/** A NAS (or a network of them) allowed to send accounting, with its shared secret. */
public record NasClient(IpPrefix sources, String secret) {
    public NasClient {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("NAS client " + sources + " has an empty secret");
        }
    }

    byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "NasClient[" + sources + "]";
    }
}
