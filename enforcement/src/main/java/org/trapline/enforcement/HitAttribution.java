package org.trapline.enforcement;

/**
 * What attribution said about a trap hit's origin address. Only {@link #MATCHED} and {@link #STATIC}
 * name a subscriber; the others never lead to an action (a wrong name cuts off an innocent customer).
 */
public enum HitAttribution {
    /** One RADIUS session held the address at that time. */
    MATCHED,
    /** A fixed assignment: a customer without a RADIUS session (handled by the ACL export). */
    STATIC,
    /** Several candidate sessions: never guess. */
    AMBIGUOUS,
    /** A subscriber address, but no session covered that time. */
    NO_SESSION,
    /** Not one of our subscriber networks. */
    NOT_OURS;

    /** Whether a hit with this result may count against a subscriber. */
    public boolean actionable() {
        return this == MATCHED || this == STATIC;
    }
}
