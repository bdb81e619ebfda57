package org.trapline.evidence.policy;

/** The things enforcement can do to a subscriber. */
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
    NOTICE;

    /** Settings key for this type's mode: {@code action.fence.mode}. */
    public String modeKey() {
        return "action." + name().toLowerCase(java.util.Locale.ROOT) + ".mode";
    }
}
