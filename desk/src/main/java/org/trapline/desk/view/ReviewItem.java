package org.trapline.desk.view;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An action waiting for staff, with the evidence it rests on beside it. */
public record ReviewItem(ActionView action, EvidenceSummary evidence) implements View {
    /** {@code {"action": {as actions --json}, "evidence": {...}}}. */
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.set("action", action.json());
        m.set("evidence", evidence.json());
        return m;
    }
}
