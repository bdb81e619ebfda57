package org.trapline.desk;

/**
 * Which actions of the journal to list.
 *
 * @param pendingOnly only those waiting for staff review
 * @param subscriber  only this subscriber's, or null for everyone's (brake entries name nobody)
 */
public record ActionFilter(boolean pendingOnly, String subscriber) {
    public static ActionFilter all() {
        return new ActionFilter(false, null);
    }

    /** The review queue. */
    public static ActionFilter pending() {
        return new ActionFilter(true, null);
    }

    public static ActionFilter of(String subscriber) {
        return new ActionFilter(false, subscriber);
    }
}
