package org.trapline.enforcement;

/** Where a journaled action stands. */
public enum ActionState {
    /** Waiting for staff to confirm or dismiss. */
    PENDING_REVIEW,
    /** Accepted for automatic execution and not carried out yet (a restart resumes it). */
    QUEUED,
    /** Carried out: the NAS ACKed, the address is exported, the notice was handed to the relay. */
    DONE,
    /** Tried and failed: NAK, timeout, or a configuration error; the journal says which. */
    FAILED,
    /** Nothing left to act on (the session is gone and the subscriber has no other). */
    CLOSED,
    /** Staff (or the block's expiry) decided against it. */
    DISMISSED,
    /** Journaled under dry-run mode; nothing was sent. */
    DRY_RUN;

    public boolean finished() {
        return this != PENDING_REVIEW && this != QUEUED;
    }
}
