package org.trapline.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import org.trapline.common.Settings;
import org.trapline.mailets.trap.TrapDomains;
import org.trapline.origin.TrustPolicy;

/**
 * The MX's own settings from {@code trapline.properties}, checked once at start so a mistake is one
 * clear line rather than a stack trace from deep inside James.
 */
public record ServerSettings(TrapDomains trapDomains, BindAddress smtpBind, long maxMessageSize, int maxRecipients,
                             Optional<Path> tlsCertificate, Optional<Path> tlsPrivateKey, TrustPolicy trust,
                             long maxBacklog, Duration syncBatchWait, String smtpHostname, int idleTimeoutSeconds,
                             int maxConnections, int maxConnectionsPerClient) {
    /** RFC 1035 host name syntax: dot-separated labels of letters, digits and inner hyphens. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public static ServerSettings from(Properties p, Path confDir) {
        TrapDomains domains = TrapDomains.parse(p.getProperty("trap.domains", ""));
        if (domains.domains().isEmpty()) {
            throw new ConfigurationException("trap.domains is empty in " + Instance.SETTINGS_FILE + ": name at least one trap domain");
        }
        Optional<Path> cert = path(p, "smtp.tls.certificate", confDir);
        Optional<Path> key = path(p, "smtp.tls.private-key", confDir);
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigurationException("set both smtp.tls.certificate and smtp.tls.private-key, or neither");
        }
        return new ServerSettings(domains,
                BindAddress.parse(p.getProperty("smtp.bind", "127.0.0.1:2525"), "smtp.bind"),
                number(p, "smtp.max-message-size", 10L << 20),
                (int) number(p, "smtp.max-recipients", 100),
                cert, key, trust(p), number(p, "smtp.max-backlog", 10_000),
                Duration.ofNanos(number(p, "smtp.sync-batch-wait-us", 500) * 1000),
                hostname(p),
                (int) number(p, "smtp.idle-timeout-seconds", 300, 1, 86_400),
                (int) number(p, "smtp.max-connections", 1000, 0, Integer.MAX_VALUE),
                (int) number(p, "smtp.max-connections-per-client", 50, 0, Integer.MAX_VALUE));
    }

    /**
     * smtp.hostname: the name the MX gives in its greeting, EHLO reply and Received header. By default the
     * first trap domain, a name the client already knows (it looked up that domain's MX to get here): the
     * machine's own name would need a lookup at every start and tell spammers how the provider names its
     * internal hosts, i.e. that this one is a trap.
     */
    private static String hostname(Properties p) {
        String name = p.getProperty("smtp.hostname", "").trim();
        name = name.isEmpty() ? p.getProperty("trap.domains", "").split(",")[0].trim() : name;
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!HOST_NAME.matcher(name).matches()) {
            throw new ConfigurationException("smtp.hostname \"" + name + "\" is not a host name (letters, digits, hyphens and dots)");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Values for the {@code ${...}} placeholders of James's XML templates. */
    public Map<String, String> jamesPlaceholders() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("smtp.bind", smtpBind.toString());
        // James counts the limit in KiB; round up so the configured byte limit is never undercut.
        m.put("smtp.max-message-size-kb", Long.toString((maxMessageSize + 1023) / 1024));
        m.put("smtp.max-recipients", Integer.toString(maxRecipients));
        m.put("smtp.tls.enabled", Boolean.toString(tlsCertificate.isPresent()));
        m.put("smtp.tls.certificate", tlsCertificate.map(ServerSettings::fileUrl).orElse(""));
        m.put("smtp.tls.private-key", tlsPrivateKey.map(ServerSettings::fileUrl).orElse(""));
        m.put("smtp.hostname", smtpHostname);
        m.put("smtp.idle-timeout-seconds", Integer.toString(idleTimeoutSeconds));
        m.put("smtp.max-connections", Integer.toString(maxConnections));
        m.put("smtp.max-connections-per-client", Integer.toString(maxConnectionsPerClient));
        return m;
    }

    public ServerSettings withSmtpBind(BindAddress bind) {
        return new ServerSettings(trapDomains, bind, maxMessageSize, maxRecipients, tlsCertificate, tlsPrivateKey, trust, maxBacklog,
                syncBatchWait, smtpHostname, idleTimeoutSeconds, maxConnections, maxConnectionsPerClient);
    }

    private static TrustPolicy trust(Properties p) {
        try {
            return TrustPolicy.fromProperties(p);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private static String fileUrl(Path p) {
        return "file://" + p.toAbsolutePath();
    }

    private static Optional<Path> path(Properties p, String key, Path confDir) {
        String v = p.getProperty(key, "").trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Path path = confDir.resolve(v);
        if (!java.nio.file.Files.isReadable(path)) {
            throw new ConfigurationException(key + ": cannot read " + path);
        }
        return Optional.of(path);
    }

    /** A whole number >= 0 from the settings; a bad one is a {@link ConfigurationException} naming the key. */
    static long number(Properties p, String key, long dflt) {
        return number(p, key, dflt, 0, Long.MAX_VALUE);
    }

    private static long number(Properties p, String key, long dflt, long min, long max) {
        try {
            return Settings.number(p, key, dflt, min, max);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
