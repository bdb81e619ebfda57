package org.trapline.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins counted per client address and per staff name: past {@link #MAX_FAILURES} within
 * {@link #WINDOW}, further attempts are refused without checking the password until the window has moved
 * on. Per name too, so guessing one account's password from many addresses is slow as well.
 */
public final class LoginThrottle {
    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** Keys remembered at most; the least recently failed go first. */
    private static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long until this address may try this name again; zero when it may now. */
    public synchronized Duration wait(String address, String name) {
        Instant now = clock.instant();
        return max(waitFor("ip " + address, now), waitFor("name " + name, now));
    }

    public synchronized void failed(String address, String name) {
        Instant now = clock.instant();
        for (String key : new String[] {"ip " + address, "name " + name}) {
            Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            d.addLast(now);
            while (d.size() > MAX_FAILURES) {
                d.removeFirst();
            }
        }
    }

    /** A good login forgets the name's failures (not the address's: that one may be trying many names). */
    public synchronized void succeeded(String name) {
        failures.remove("name " + name);
    }

    private Duration waitFor(String key, Instant now) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return Duration.ZERO;
        }
        while (!d.isEmpty() && !d.peekFirst().plus(WINDOW).isAfter(now)) {
            d.removeFirst();
        }
        if (d.size() < MAX_FAILURES) {
            return Duration.ZERO;
        }
        return Duration.between(now, d.peekFirst().plus(WINDOW));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
