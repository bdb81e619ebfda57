package org.trapline.enforcement.coa;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.trapline.common.Settings;

/**
 * CoA/Disconnect sending settings from conf/trapline.properties (section "Enforcement"):
 * <pre>
 * coa.port=3799                 default CoA port of every NAS
 * coa.secret=                   default shared secret (blank: only NASes with their own secret get requests),
 *                               read by the server from the file coa.secret-file names
 * coa.timeout=PT3S              wait for an answer per attempt (ISO-8601 duration or milliseconds)
 * coa.retries=2                 retransmissions after the first attempt
 * coa.nas.NAS-IP.address=       where that NAS listens for CoA, if not at its NAS-IP-Address
 * coa.nas.NAS-IP.port=          that NAS's CoA port
 * coa.nas.NAS-IP.secret=        that NAS's shared secret
 * </pre>
 * {@link #toString()} never shows secrets.
 */
public final class CoaSettings {

    public static final int DEFAULT_PORT = 3799;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    public static final int DEFAULT_RETRIES = 2;

    private final Properties props;
    private final int defaultPort;
    private final Duration timeout;
    private final int retries;

    private CoaSettings(Properties props) {
        this.props = props;
        this.defaultPort = intValue(props, "coa.port", DEFAULT_PORT, 1, 65535);
        this.timeout = duration(props, "coa.timeout", DEFAULT_TIMEOUT);
        this.retries = intValue(props, "coa.retries", DEFAULT_RETRIES, 0, 10);
        if (timeout.isZero() || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("coa.timeout must be positive: " + timeout);
        }
    }

    /** Reads and checks the settings; a bad value throws {@link IllegalArgumentException} naming the key. */
    public static CoaSettings from(Properties props) {
        Properties copy = new Properties();
        copy.putAll(props);
        return new CoaSettings(copy);
    }

    public Duration timeout() { return timeout; }

    public int retries() { return retries; }

    public int defaultPort() { return defaultPort; }

    /**
     * The CoA endpoint of the NAS that reported a session under this NAS-IP-Address, or empty when no
     * secret is configured for it (we never guess a secret).
     */
    public Optional<NasEndpoint> endpointFor(String nasIp) {
        String prefix = "coa.nas." + nasIp + ".";
        String secret = value(props, prefix + "secret");
        if (secret == null) secret = value(props, "coa.secret");
        if (secret == null) return Optional.empty();
        String host = value(props, prefix + "address");
        int port = intValue(props, prefix + "port", defaultPort, 1, 65535);
        return Optional.of(new NasEndpoint(host == null ? nasIp : host, port, secret));
    }

    @Override
    public String toString() {
        return "CoaSettings[port=" + defaultPort + ", timeout=" + timeout + ", retries=" + retries + "]";
    }

    private static String value(Properties props, String key) {
        return Settings.string(props, key, null);
    }

    static int intValue(Properties props, String key, int dflt, int min, int max) {
        return Settings.integer(props, key, dflt, min, max);
    }

    /** ISO-8601 (PT3S) or plain milliseconds (3000). */
    static Duration duration(Properties props, String key, Duration dflt) {
        String v = value(props, key);
        if (v != null && v.chars().allMatch(Character::isDigit)) {
            return Duration.ofMillis(Settings.number(props, key, 0, 0, Long.MAX_VALUE));
        }
        return Settings.duration(props, key, dflt);
    }
}
