package org.trapline.web.account;

/** A staff account as an admin sees it: who, with which role, and whether they may log in. */
public record StaffMember(StaffAccount account, boolean enabled) {
}
