package org.trapline.enforcement;

/** The things enforcement can do to a subscriber, and the brake's entries in the journal. */
public enum ActionType {
    /** CoA-Request applying the fence attributes (e.g. Filter-Id=smtp-block) to the session. */
    FENCE,
    /** CoA-Request restoring the normal policy when a block ends. */
    RESTORE,
    /** Disconnect-Request ending the session (escalation and suspension). */
    DISCONNECT,
    /** The address enters the router ACL export (fixed-address customers). */
    ACL,
    /** E-mail to the subscriber. */
    NOTICE,
    /**
     * The brake on automatic actions engaged or released (by a limit, or by staff): journaled for staff,
     * and e-mailed to {@code action.brake.notify}. Names no subscriber; never waits for review.
     */
    BRAKE;

    /** Settings key for this type's mode: {@code action.fence.mode}. */
    public String modeKey() {
        return "action." + name().toLowerCase(java.util.Locale.ROOT) + ".mode";
    }

    /** Whether staff configure a mode for it ({@code action.<type>.mode}); brake entries always run. */
    public boolean hasMode() {
        return this != BRAKE;
    }

    /**
     * Whether the brake or an exemption may hold it for review: everything done to a subscriber except
     * lifting a block (a brake that kept customers blocked would be no brake).
     */
    public boolean holdable() {
        return this == FENCE || this == DISCONNECT || this == ACL || this == NOTICE;
    }

    /** Whether it cuts a customer off, so that the brake counts it. */
    public boolean cutsOff() {
        return this == FENCE || this == DISCONNECT || this == ACL;
    }

    /** Whether it goes to a NAS (its target is a session there). */
    public boolean atNas() {
        return this == FENCE || this == RESTORE || this == DISCONNECT;
    }
}
