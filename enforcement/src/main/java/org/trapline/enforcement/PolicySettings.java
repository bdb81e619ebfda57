package org.trapline.enforcement;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.trapline.common.Settings;
import org.trapline.enforcement.coa.NasAttribute;

/**
 * Strike policy and action settings from conf/trapline.properties (section "Enforcement"). Defaults
 * follow operators' practice: more than 3 hits in an hour is a strike, 30 minutes of block per strike,
 * one strike forgiven per 90 quiet minutes, suspension at 10 strikes.
 *
 * @param maxHits          more than this many hits within {@code window} earn a strike ({@code strike.max-hits})
 * @param window           {@code strike.window}
 * @param blockBase        block per strike ({@code strike.block-base})
 * @param blockMultiplier  1 = linear ({@code strikes x base}); above 1 each further strike multiplies
 *                         the block again, as fail2ban's bantime.increment ({@code strike.block-multiplier})
 * @param blockMax         cap on one block, or null ({@code strike.block-max})
 * @param quietPeriod      each period without hits removes a strike ({@code strike.quiet-period})
 * @param suspendAt        strikes at which the account is suspended until staff lift it ({@code strike.suspend-at})
 * @param disconnectAt     from this many strikes a Disconnect follows the fence; 0 = only at suspension
 *                         ({@code strike.disconnect-at})
 * @param noticeOnStrike   notice the subscriber at every strike, not only at suspension ({@code notice.on-strike})
 * @param fenceAttributes  CoA attributes that fence a session ({@code coa.fence.attributes})
 * @param restoreAttributes CoA attributes that restore the normal policy ({@code coa.restore.attributes})
 * @param modes            per action type ({@code action.<type>.mode})
 * @param aclIncludeSessions also export the last address of blocked RADIUS subscribers ({@code acl.include-sessions})
 * @param aclName          name of the ACL / address list / nftables set ({@code acl.name})
 * @param brake            the brake on automatic actions ({@code action.brake.*})
 */
public record PolicySettings(int maxHits, Duration window, Duration blockBase, double blockMultiplier, Duration blockMax,
                             Duration quietPeriod, int suspendAt, int disconnectAt, boolean noticeOnStrike,
                             List<NasAttribute> fenceAttributes, List<NasAttribute> restoreAttributes,
                             Map<ActionType, ActionMode> modes, boolean aclIncludeSessions, String aclName, Brake brake) {

    /**
     * At most so many automatic actions that cut customers off (fence, disconnect, ACL) per hour; past
     * a limit they wait for review. Restores are neither counted nor held.
     *
     * @param perNasPerHour {@code action.brake.per-nas-per-hour}: fences and disconnects for one NAS; 0 = no limit
     * @param totalPerHour  {@code action.brake.total-per-hour}: all of them together; 0 = no limit
     * @param notifyAddress {@code action.brake.notify}: staff address told when a brake engages or is released, or null
     */
    public record Brake(int perNasPerHour, int totalPerHour, String notifyAddress) {
        public Brake {
            if (perNasPerHour < 0) throw new IllegalArgumentException("action.brake.per-nas-per-hour must not be negative");
            if (totalPerHour < 0) throw new IllegalArgumentException("action.brake.total-per-hour must not be negative");
            if (notifyAddress != null && notifyAddress.isBlank()) notifyAddress = null;
            if (notifyAddress != null) {
                notifyAddress = notifyAddress.strip();
                try {
                    new javax.mail.internet.InternetAddress(notifyAddress, true).validate();
                } catch (javax.mail.internet.AddressException e) {
                    throw new IllegalArgumentException("action.brake.notify is not an e-mail address: " + notifyAddress, e);
                }
            }
        }

        /** No limits and nobody to tell. */
        public static Brake off() {
            return new Brake(0, 0, null);
        }
    }

    public PolicySettings {
        if (maxHits < 0) throw new IllegalArgumentException("strike.max-hits must not be negative");
        positive(window, "strike.window");
        positive(blockBase, "strike.block-base");
        positive(quietPeriod, "strike.quiet-period");
        if (blockMax != null) positive(blockMax, "strike.block-max");
        if (!(blockMultiplier >= 1.0) || Double.isInfinite(blockMultiplier)) {
            throw new IllegalArgumentException("strike.block-multiplier must be 1 or more");
        }
        if (suspendAt < 1) throw new IllegalArgumentException("strike.suspend-at must be at least 1");
        if (disconnectAt < 0) throw new IllegalArgumentException("strike.disconnect-at must not be negative");
        if (aclName == null || !aclName.matches("[A-Za-z][A-Za-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("acl.name must be a letter then letters, digits, - or _: " + aclName);
        }
        fenceAttributes = List.copyOf(fenceAttributes);
        restoreAttributes = List.copyOf(restoreAttributes);
        EnumMap<ActionType, ActionMode> m = new EnumMap<>(ActionType.class);
        for (ActionType t : ActionType.values()) {
            if (t.hasMode()) m.put(t, modes.getOrDefault(t, ActionMode.AUTO));
        }
        modes = Map.copyOf(m);
        java.util.Objects.requireNonNull(brake, "brake");
    }

    /** The defaults, as if conf/trapline.properties said nothing. */
    public static PolicySettings defaults() {
        return from(new Properties());
    }

    /** Reads the settings; a bad value throws {@link IllegalArgumentException} naming its key. */
    public static PolicySettings from(Properties p) {
        Map<ActionType, ActionMode> modes = new EnumMap<>(ActionType.class);
        for (ActionType t : ActionType.values()) {
            if (!t.hasMode()) continue;
            String v = text(p, t.modeKey(), t == ActionType.DISCONNECT ? "review" : "auto");
            try {
                modes.put(t, ActionMode.parse(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(t.modeKey() + ": " + e.getMessage(), e);
            }
        }
        String blockMax = text(p, "strike.block-max", "P1D");
        return new PolicySettings(
                Settings.integer(p, "strike.max-hits", 3),
                Settings.duration(p, "strike.window", Duration.ofHours(1)),
                Settings.duration(p, "strike.block-base", Duration.ofMinutes(30)),
                Settings.decimal(p, "strike.block-multiplier", 1.0),
                blockMax.isEmpty() ? null : Settings.duration(p, "strike.block-max", Duration.ofDays(1)),
                Settings.duration(p, "strike.quiet-period", Duration.ofMinutes(90)),
                Settings.integer(p, "strike.suspend-at", 10),
                Settings.integer(p, "strike.disconnect-at", 5),
                Boolean.parseBoolean(text(p, "notice.on-strike", "false")),
                attributes(p, "coa.fence.attributes", "Filter-Id=smtp-block"),
                attributes(p, "coa.restore.attributes", "Filter-Id=default"),
                modes,
                Boolean.parseBoolean(text(p, "acl.include-sessions", "false")),
                text(p, "acl.name", "trapline-smtp-block"),
                new Brake(Settings.integer(p, "action.brake.per-nas-per-hour", 20),
                        Settings.integer(p, "action.brake.total-per-hour", 50),
                        text(p, "action.brake.notify", "")));
    }

    /** How actions of this type are carried out; brake entries always run. */
    public ActionMode mode(ActionType type) {
        return type.hasMode() ? modes.get(type) : ActionMode.AUTO;
    }

    /**
     * How long the block for the given strike count lasts: {@code strikes x base} when the multiplier is
     * 1, else {@code base x strikes x multiplier^(strikes-1)}; never more than {@code blockMax}.
     */
    public Duration blockFor(int strikes) {
        if (strikes < 1) return Duration.ZERO;
        double factor = strikes * Math.pow(blockMultiplier, strikes - 1);
        double seconds = blockBase.getSeconds() * factor;
        // Without a configured cap, ten years stands in for "forever" so that block ends stay valid instants.
        Duration cap = blockMax != null ? blockMax : Duration.ofDays(3650);
        return seconds >= cap.getSeconds() ? cap : Duration.ofSeconds((long) Math.ceil(seconds));
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) throw new IllegalArgumentException(key + " must be a positive duration");
    }

    private static String text(Properties p, String key, String dflt) {
        String v = p.getProperty(key);
        return v == null ? dflt : v.strip();
    }

    private static List<NasAttribute> attributes(Properties p, String key, String dflt) {
        try {
            return NasAttribute.parseList(text(p, key, dflt));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
