package org.trapline.desk;

/**
 * The desk refuses: what was asked for does not exist, the request is not one the desk can run, or
 * the action is no longer in a state that allows the decision. The message says which in the abuse
 * desk's words and names no stack; a command prints it, the web desk answers with it.
 */
public final class DeskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the desk refused; callers map it to an exit code or an HTTP status. */
    public enum Reason {
        /** No such hit, case, action or subscriber. */
        NOT_FOUND,
        /** The request itself is wrong: a query, a cursor, a limit, a setting the decision needs. */
        BAD_INPUT,
        /** The request is well formed but the journal forbids it now (not pending, retried already, ...). */
        CONFLICT
    }

    private final Reason reason;

    public DeskException(Reason reason, String message) {
        super(message);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
