package org.trapline.enforcement;

/** What carrying out an action produced, for the journal ({@link ActionRepository#finish}). */
record Execution(ActionState state, String target, String outcome, Integer errorCause, Integer attempts, String nas,
                 String request, String answer, String note) {

    /** Nothing was sent to a NAS: the outcome, what was (or would have been) done, and the answer if any. */
    static Execution local(ActionState state, String outcome, String request, String answer, String note) {
        return new Execution(state, null, outcome, null, null, null, request, answer, note);
    }
}
