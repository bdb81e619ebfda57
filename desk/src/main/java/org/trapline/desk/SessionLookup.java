package org.trapline.desk;

import java.util.Optional;

import org.trapline.attribution.session.Session;

/**
 * The one thing the desk reads from the session store: the access session a hit fell in, by the NAS and
 * the Acct-Session-Id the attribution recorded, to show its start and stop beside the hit.
 */
@FunctionalInterface
public interface SessionLookup {
    /** For a desk without the session store at hand: hits show the session's id and NAS only. */
    SessionLookup NONE = (nas, id) -> Optional.empty();

    Optional<Session> find(String nasIpAddress, String acctSessionId);
}
