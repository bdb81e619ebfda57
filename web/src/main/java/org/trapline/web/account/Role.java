package org.trapline.web.account;

import java.util.Locale;

/**
 * What a staff member may do at the desk; each role may do everything the ones before it may.
 * viewer: search and read; analyst: also notes, case status, raw evidence and case exports; approver: also
 * confirm and dismiss actions, block and unblock, the brake; admin: also staff accounts and purges.
 */
public enum Role {
    VIEWER, ANALYST, APPROVER, ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException listing the roles, for any other text */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.text().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no role '" + text + "'; roles are viewer, analyst, approver, admin");
    }
}
