package org.trapline.web.page;

import java.util.List;

import org.trapline.web.account.StaffMember;

/** The admin's list of staff accounts, with the forms that add and change them. */
public record UsersPage(Chrome chrome, List<StaffMember> users) {
    public UsersPage {
        users = List.copyOf(users);
    }
}
