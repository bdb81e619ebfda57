package org.trapline.web.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.trapline.web.account.StaffAccount;

/**
 * The desk's login sessions, in memory: a restart logs everyone out, which is the safe side. A session
 * ends after {@link #IDLE} without a request and {@link #MAX_AGE} after the login at the latest.
 */
public final class StaffSessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration MAX_AGE = Duration.ofHours(12);
    /** Sessions kept at most; past it the oldest go, so a flood of logins cannot fill the heap. */
    static final int MAX_SESSIONS = 10_000;

    private final Map<String, StaffSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public StaffSessions(Clock clock) {
        this.clock = clock;
    }

    public StaffSession open(StaffAccount staff) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(java.util.Comparator.comparing(StaffSession::lastSeen))
                    .ifPresent(oldest -> sessions.remove(oldest.token()));
        }
        StaffSession s = new StaffSession(token(), staff, token(), now, now);
        sessions.put(s.token(), s);
        return s;
    }

    /** The live session of this token, its idle clock restarted; empty for no, an unknown or an expired token. */
    public Optional<StaffSession> find(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        StaffSession s = sessions.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.started().plus(MAX_AGE))) {
            sessions.remove(token);
            return Optional.empty();
        }
        StaffSession seen = s.seen(now);
        sessions.put(token, seen);
        return Optional.of(seen);
    }

    /** Ends every session of a staff member at once (disabled, or their role changed: they log in again). */
    public void endAll(String staff) {
        sessions.values().removeIf(s -> s.staff().name().equals(staff));
    }

    public void close(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    /** A fresh random token: 256 bits, URL-safe. */
    public String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Compares tokens in time independent of where they differ. */
    public static boolean same(String expected, String given) {
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
