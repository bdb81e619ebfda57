package org.trapline.attribution.lookup;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.trapline.attribution.session.Session;

/**
 * The answer to "who held {@code address} at {@code at}".
 *
 * @param subscriber   the User-Name of the matched session or the static assignment's subscriber; null otherwise
 * @param session      the matched session (MATCHED only)
 * @param candidates   every session that could have held the address (AMBIGUOUS: two or more; MATCHED: the one)
 * @param staticPrefix the static assignment's prefix (STATIC only)
 */
public record Attribution(
        AttributionStatus status,
        String address,
        Instant at,
        String subscriber,
        Session session,
        List<Session> candidates,
        String staticPrefix) {

    public Attribution {
        Objects.requireNonNull(status, "status");
        candidates = List.copyOf(candidates);
    }

    public static Attribution matched(String address, Instant at, Session session) {
        return new Attribution(AttributionStatus.MATCHED, address, at, session.userName(), session, List.of(session), null);
    }

    public static Attribution ambiguous(String address, Instant at, List<Session> candidates) {
        return new Attribution(AttributionStatus.AMBIGUOUS, address, at, null, null, candidates, null);
    }

    public static Attribution noSession(String address, Instant at) {
        return new Attribution(AttributionStatus.NO_SESSION, address, at, null, null, List.of(), null);
    }

    public static Attribution notOurs(String address, Instant at) {
        return new Attribution(AttributionStatus.NOT_OURS, address, at, null, null, List.of(), null);
    }

    public static Attribution fixed(String address, Instant at, StaticAssignments.Assignment assignment) {
        return new Attribution(AttributionStatus.STATIC, address, at, assignment.subscriber(), null, List.of(),
                assignment.prefix().toString());
    }
}
