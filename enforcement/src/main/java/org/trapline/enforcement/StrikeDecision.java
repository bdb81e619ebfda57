package org.trapline.enforcement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the strike rule made of one event for one subscriber: the standing to keep and the actions to
 * journal, and whether the subscriber's cut-offs still waiting for review are moot now.
 *
 * @param dismissOpen the block those actions were for is over: dismiss them with this actor and note
 */
public record StrikeDecision(StrikeState state, List<PlannedAction> actions, Optional<Dismissal> dismissOpen) {

    /** The fences, disconnects and ACL entries pending review are dismissed by {@code by}, with {@code note}. */
    public record Dismissal(String by, String note) {}

    public StrikeDecision {
        Objects.requireNonNull(state, "state");
        actions = List.copyOf(actions);
        Objects.requireNonNull(dismissOpen, "dismissOpen");
    }

    static StrikeDecision keep(StrikeState state) {
        return new StrikeDecision(state, List.of(), Optional.empty());
    }

    /** Whether it asks for a fence or an ACL entry, which an action still open in the journal may already stand for. */
    boolean cutsOffAgain() {
        return actions.stream().anyMatch(a -> a.type() == ActionType.FENCE || a.type() == ActionType.ACL);
    }

    /**
     * Without the fences and ACL entries that {@code open} (the subscriber's actions pending review or
     * queued) already holds for the same target: a second one would only be a second review.
     */
    StrikeDecision unlessOpen(List<ActionRecord> open) {
        List<PlannedAction> left = actions.stream().filter(a -> (a.type() != ActionType.FENCE && a.type() != ActionType.ACL)
                || open.stream().noneMatch(o -> !o.state().finished() && o.type() == a.type() && Objects.equals(o.target(), a.target())))
                .toList();
        return new StrikeDecision(state, left, dismissOpen);
    }
}
