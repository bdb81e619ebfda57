package org.trapline.desk.view;

import org.trapline.enforcement.ActionRecord;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One journaled action as staff see it: in the review queue, in a case, as the result of a decision. */
public record ActionView(ActionRecord action) implements View {
    public ActionView {
        java.util.Objects.requireNonNull(action, "action");
    }

    /**
     * Every field of the journal, one key each in this order (the contract of {@code actions --json});
     * nulls stay in, so every action has the same keys.
     */
    @Override
    public ObjectNode json() {
        ActionRecord a = action;
        ObjectNode m = Json.object();
        m.put("id", a.id());
        m.put("created_at", Json.text(a.createdAt()));
        m.put("type", a.type().name());
        m.put("state", a.state().name());
        m.put("subscriber", a.subscriber());
        m.put("outcome", a.outcome());
        m.put("rule", a.rule());
        m.put("target", a.target());
        m.put("attributes", a.attributes());
        m.put("mode", a.mode().text());
        m.put("actor", a.actor());
        Json.strings(m, "hit_ids", a.hitIds());
        m.put("decided_by", a.decidedBy());
        m.put("decided_at", Json.text(a.decidedAt()));
        m.put("reason", a.reason());
        m.put("nas", a.nas());
        m.put("attempts", a.attempts());
        m.put("retries", a.retries());
        m.put("error_cause", a.errorCause());
        m.put("request", a.request());
        m.put("answer", a.answer());
        m.put("note", a.note());
        m.put("finished_at", Json.text(a.finishedAt()));
        m.put("held_reason", a.heldReason());
        m.put("retry_of", a.retryOf());
        return m;
    }
}
