package org.trapline.web.auth;

import java.time.Instant;

import org.trapline.web.account.StaffAccount;

/**
 * A logged-in staff member's session: the cookie's token names it, and every POST must carry its CSRF
 * token, which a page from another site cannot read.
 */
public record StaffSession(String token, StaffAccount staff, String csrf, Instant started, Instant lastSeen) {
    StaffSession seen(Instant now) {
        return new StaffSession(token, staff, csrf, started, now);
    }
}
