package org.trapline.desk;

import java.util.Locale;

/** What a staff member did, as the audit names it ({@link #text}: {@code login}, {@code raw-view}, ...). */
public enum AuditAct {
    LOGIN, LOGIN_FAILED, LOGOUT,
    /** Looked at or downloaded a hit's raw message. */
    RAW_VIEW,
    CONFIRM, DISMISS, RETRY, BLOCK, UNBLOCK, BRAKE_ON, BRAKE_OFF, PURGE,
    NOTE, CASE_STATUS,
    USER_ADD, USER_ROLE;

    /** Lower case with dashes, as entries keep it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
