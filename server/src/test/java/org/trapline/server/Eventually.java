package org.trapline.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for what a running server does in its own time (the searcher's refresh runs at idle priority, so
 * on a loaded machine a stored hit becomes searchable later than the refresh interval says).
 */
final class Eventually {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private Eventually() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} if it still does not after 30 s. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not so after " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
