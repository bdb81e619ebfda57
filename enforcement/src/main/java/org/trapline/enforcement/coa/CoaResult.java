package org.trapline.enforcement.coa;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What became of one CoA/Disconnect request: the NAS's answer (or its silence), how many times we sent
 * it, and both packets as text. Never holds the shared secret.
 *
 * @param outcome    ACK, NAK, TIMEOUT (no valid answer after all attempts) or ERROR (not sent: bad
 *                   settings or attribute)
 * @param errorCause Error-Cause of a NAK, or null
 * @param attempts   transmissions made (0 when not sent)
 * @param nas        the endpoint as host:port, or the NAS-IP-Address when no endpoint was configured
 * @param request    request attributes, one {@code Name = value} per line
 * @param answer     answer attributes the same way, blank when there was none
 * @param detail     why a request failed or answers were ignored, blank otherwise
 */
public record CoaResult(Outcome outcome, Integer errorCause, int attempts, String nas, String request,
                        String answer, String detail, Instant sentAt, Instant finishedAt) {

    /** How the NAS answered. */
    public enum Outcome { ACK, NAK, TIMEOUT, ERROR }

    public CoaResult {
        Objects.requireNonNull(outcome, "outcome");
        request = Objects.requireNonNullElse(request, "");
        answer = Objects.requireNonNullElse(answer, "");
        detail = Objects.requireNonNullElse(detail, "");
        nas = Objects.requireNonNullElse(nas, "");
    }

    /** Retransmissions after the first attempt. */
    public int retries() {
        return Math.max(0, attempts - 1);
    }

    public OptionalInt errorCauseCode() {
        return errorCause == null ? OptionalInt.empty() : OptionalInt.of(errorCause);
    }

    /** NAK with 503: the session is gone, so the subscriber's current session (if any) is the one to act on. */
    public boolean sessionGone() {
        return outcome == Outcome.NAK && errorCause != null && errorCause == ErrorCause.SESSION_CONTEXT_NOT_FOUND;
    }

    /** One line for journals and the command line: {@code ACK}, {@code NAK 503 Session-Context-Not-Found}, {@code TIMEOUT after 3 attempts}. */
    public String summary() {
        return switch (outcome) {
            case ACK -> "ACK";
            case NAK -> errorCause == null ? "NAK" : "NAK " + ErrorCause.describe(errorCause);
            case TIMEOUT -> "TIMEOUT after " + attempts + (attempts == 1 ? " attempt" : " attempts");
            case ERROR -> "ERROR " + detail;
        };
    }
}
