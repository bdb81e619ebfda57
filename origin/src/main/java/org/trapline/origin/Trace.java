package org.trapline.origin;

import java.util.List;
import java.util.Optional;

/**
 * The result of a trust walk, newest hop first.
 *
 * @param origin    the origin hop, empty when the message never crossed our boundary from an
 *                  untrusted or authenticated client (e.g. generated inside our networks)
 * @param trusted   relays whose client is trusted (including an authenticated submission client)
 * @param untrusted relays from the origin down; everything older than the origin is only what
 *                  the sender's side claims and may be forged
 * @param internal  the newest relays that are inside our internal networks (SpamAssassin's
 *                  "internal" relays, for rules that need them)
 * @param notRelays Received headers read but not relays (local handoffs, pickups, unparseable)
 */
public record Trace(Optional<OriginHop> origin, List<Relay> trusted, List<Relay> untrusted,
                    List<Relay> internal, int notRelays) {

    public Trace {
        trusted = List.copyOf(trusted);
        untrusted = List.copyOf(untrusted);
        internal = List.copyOf(internal);
    }
}
