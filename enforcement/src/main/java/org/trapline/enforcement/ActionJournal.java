package org.trapline.enforcement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;

/**
 * The journal of every enforcement action: cause (rule and hit ids), request, the NAS's answer
 * (ACK, NAK with Error-Cause, timeout), retries, actor, times and state. Reads are public; writes go
 * through {@link Enforcer} so that decisions and their journal entries commit together.
 */
public final class ActionJournal {

    private final PolicyStore store;

    /** The journal of the policy database behind {@code db} ({@link PolicyDatabase#jdbi}). */
    public ActionJournal(Jdbi db) {
        this(PolicyStore.of(db));
    }

    ActionJournal(PolicyStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** All actions, newest first; only those waiting for staff when {@code pendingOnly}. */
    public List<ActionRecord> list(boolean pendingOnly) {
        return store.read((strikes, actions) -> actions.list(pendingOnly));
    }

    /** A subscriber's actions, oldest first (for the case view). */
    public List<ActionRecord> forSubscriber(String subscriber) {
        return store.read((strikes, actions) -> actions.ofSubscriber(subscriber));
    }

    public Optional<ActionRecord> find(long id) {
        return store.read((strikes, actions) -> actions.find(id));
    }
}
