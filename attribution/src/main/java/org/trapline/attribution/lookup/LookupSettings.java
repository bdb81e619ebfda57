package org.trapline.attribution.lookup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.trapline.common.Settings;
import org.trapline.common.net.IpPrefix;

/**
 * How the lookup decides which session covers an instant.
 *
 * @param subscriberNetworks addresses outside these are NOT_OURS; empty means every address is ours
 * @param clockSkew          tolerance on both ends of a session, for clocks of NAS and MX that disagree
 * @param interimInterval    the Acct-Interim-Interval the NASes use
 * @param graceIntervals     an open session is alive until its last record plus this many interim intervals
 * @param staticAssignments  file of fixed assignments, or null
 */
public record LookupSettings(
        List<IpPrefix> subscriberNetworks,
        Duration clockSkew,
        Duration interimInterval,
        int graceIntervals,
        Path staticAssignments) {

    public static final String SUBSCRIBER_NETWORKS = "attribution.subscriber-networks";
    public static final String CLOCK_SKEW = "attribution.clock-skew-seconds";
    public static final String INTERIM_INTERVAL = "attribution.interim-interval-seconds";
    public static final String GRACE_INTERVALS = "attribution.grace-intervals";
    public static final String STATIC_ASSIGNMENTS = "attribution.static-assignments";

    public LookupSettings {
        subscriberNetworks = List.copyOf(subscriberNetworks);
    }

    /** The defaults: all addresses ours, 5 s skew, 300 s interim interval, 3 intervals of grace, no static file. */
    public static LookupSettings defaults() {
        return from(new Properties());
    }

    public static LookupSettings from(Properties p) {
        List<IpPrefix> networks = Settings.list(p, SUBSCRIBER_NETWORKS).stream().map(s -> {
            try {
                return IpPrefix.parseMaskingHostBits(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(SUBSCRIBER_NETWORKS + ": " + e.getMessage());
            }
        }).toList();
        return new LookupSettings(networks, Settings.seconds(p, CLOCK_SKEW, 5), Settings.seconds(p, INTERIM_INTERVAL, 300),
                (int) Settings.number(p, GRACE_INTERVALS, 3, 1, 1000), Settings.path(p, STATIC_ASSIGNMENTS));
    }

    /** How long after its last record an open session still counts as alive. */
    public Duration grace() {
        return interimInterval.multipliedBy(graceIntervals);
    }
}
