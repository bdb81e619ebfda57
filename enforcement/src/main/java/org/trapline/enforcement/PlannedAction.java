package org.trapline.enforcement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.trapline.attribution.session.SessionTarget;
import org.trapline.enforcement.coa.NasAttribute;

/**
 * An action the strike engine decided on, before the journal gives it an id and a mode.
 *
 * @param target     for CoA/Disconnect a {@link org.trapline.attribution.session.SessionTarget#describe()} text,
 *                   for ACL the address, for a notice the subscriber
 * @param rule       why, in words (the strike rule and counts)
 * @param hitIds     the trap hits that caused it
 * @param actor      {@code rule} or {@code staff:<user>} or {@code expiry}
 */
public record PlannedAction(ActionType type, String subscriber, String target, List<NasAttribute> attributes,
                            String rule, List<String> hitIds, String actor) {

    public PlannedAction {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(actor, "actor");
        attributes = List.copyOf(attributes == null ? List.of() : attributes);
        hitIds = List.copyOf(hitIds == null ? List.of() : hitIds);
    }

    /** The NAS a CoA or Disconnect goes to, as its session target names it (the brake counts per NAS). */
    public Optional<String> targetNas() {
        if (!type.atNas() || target == null) return Optional.empty();
        try {
            return Optional.of(SessionTarget.parse(target).nasIp());
        } catch (IllegalArgumentException notASession) {
            return Optional.empty();
        }
    }
}
