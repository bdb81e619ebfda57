package org.trapline.enforcement.coa;

import org.trapline.attribution.session.SessionTarget;
import java.util.List;
import java.util.Objects;

/**
 * One request to a NAS: what kind, which session, and the extra attributes to carry (for a CoA the
 * policy to apply, e.g. {@code Filter-Id=smtp-block}).
 */
public record NasCommand(Kind kind, SessionTarget target, List<NasAttribute> attributes) {

    /** RFC 5176 request kinds. */
    public enum Kind {
        /** CoA-Request (code 43): change the session's authorisation. */
        COA(43),
        /** Disconnect-Request (code 40): end the session. */
        DISCONNECT(40);

        private final int code;

        Kind(int code) { this.code = code; }

        /** RADIUS packet code. */
        public int code() { return code; }
    }

    public NasCommand {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        attributes = List.copyOf(attributes == null ? List.of() : attributes);
    }

    public static NasCommand coa(SessionTarget target, List<NasAttribute> attributes) {
        return new NasCommand(Kind.COA, target, attributes);
    }

    public static NasCommand disconnect(SessionTarget target) {
        return new NasCommand(Kind.DISCONNECT, target, List.of());
    }

    /** The same command aimed at another session (after a NAK 503 the subscriber may hold a new one). */
    public NasCommand retarget(SessionTarget newTarget) {
        return new NasCommand(kind, newTarget, attributes);
    }
}
