package org.trapline.enforcement;

/**
 * Who takes a staff decision, from where and why: what the action journal keeps of a decision beside
 * its outcome, and what the desk's audit records.
 *
 * @param staff  the staff member's name (journaled as {@code staff:<name>})
 * @param from   where they acted: the client address of the web desk, or {@code cli:<unix user>}
 * @param reason why, in their words; empty when none was given
 */
public record StaffAct(String staff, String from, String reason) {
    /** Most characters of a reason the journal keeps. */
    public static final int MAX_REASON = 1000;

    public StaffAct {
        if (staff == null || staff.isBlank()) throw new IllegalArgumentException("staff user name is required");
        staff = staff.strip();
        from = from == null ? "" : from.strip();
        reason = reason == null ? "" : reason.strip();
        if (reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("a reason is at most " + MAX_REASON + " characters");
        }
    }

    /** The journal's actor for this staff member. */
    public String actor() {
        return "staff:" + staff;
    }

    /** The reason, or null when none was given (the journal's column stays empty). */
    String reasonOrNull() {
        return reason.isEmpty() ? null : reason;
    }
}
