package org.trapline.enforcement;

/**
 * What attribution said about a trap hit's origin address. Only {@link #MATCHED} and {@link #STATIC}
 * name a subscriber; the others never lead to an action (a wrong name cuts off an innocent customer).
 * The policy lists the others for staff ({@link Enforcer#unattributedHits}) with their {@link #reason}.
 */
public enum HitAttribution {
    /** One RADIUS session held the address at that time. */
    MATCHED("one RADIUS session held the address then"),
    /** A fixed assignment: a customer without a RADIUS session (handled by the ACL export). */
    STATIC("a fixed assignment held the address"),
    /** Several candidate sessions: never guess. */
    AMBIGUOUS("several sessions could have held the address then; none is guessed"),
    /** A subscriber address, but no session covered that time. */
    NO_SESSION("a subscriber address, but no session held it then"),
    /** Not one of our subscriber networks. */
    NOT_OURS("not from one of our subscriber networks"),
    /** The trace found no origin hop: no client outside the trusted networks handed the message over. */
    NO_ORIGIN("no origin hop: the Received chain names no client outside our trusted networks"
            + " (a trace fault, or origin.* trusts too much); nobody was looked up"),
    /** The origin's receiver recorded no usable time, so who held the address then is unknown. */
    UNDATED("the origin's receiver recorded no usable time (a clock or header fault); a guessed time"
            + " could name whoever held the address at another moment, so nobody was looked up");

    private final String reason;

    HitAttribution(String reason) {
        this.reason = reason;
    }

    /** Whether a hit with this result may count against a subscriber. */
    public boolean actionable() {
        return this == MATCHED || this == STATIC;
    }

    /**
     * Whether the hit names nobody because our own trace or a clock failed, not because of where it came
     * from: staff are shown these beside the actions waiting for review, so the fault is seen.
     */
    public boolean fault() {
        return this == NO_ORIGIN || this == UNDATED;
    }

    /** Why a hit with this result names whom it names, in staff's words. */
    public String reason() {
        return reason;
    }
}
