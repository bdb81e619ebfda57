package org.trapline.web.account;

/** A staff member who may log in: the name shown in every decision they take, and their role. */
public record StaffAccount(String name, Role role) {
}
