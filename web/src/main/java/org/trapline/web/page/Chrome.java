package org.trapline.web.page;

import org.trapline.web.account.Role;
import org.trapline.web.auth.StaffSession;

/**
 * What the frame of every page shows: who is logged in, with which role, and the CSRF token its forms carry.
 * Null on the login page.
 */
public record Chrome(String staff, Role role, String csrf) {
    public static Chrome of(StaffSession s) {
        return new Chrome(s.staff().name(), s.staff().role(), s.csrf());
    }

    public boolean may(Role needed) {
        return role.allows(needed);
    }
}
