package org.trapline.attribution.session;

/**
 * A read barrier for the session store. Accounting records can be acknowledged (committed to the
 * accounting journal) a moment before they reach the store; a reader that must see every record
 * acknowledged before it started (a trap hit attributed right after the subscriber's Start) waits here
 * first. Implementations bound the wait and log when it runs out.
 */
@FunctionalInterface
public interface SessionFreshness {
    /** For a store written directly (detail import, tests): nothing to wait for. */
    SessionFreshness NONE = () -> {
    };

    /** Returns once every record acknowledged before the call is in the store, or the configured wait ran out. */
    void await();
}
