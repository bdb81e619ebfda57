package org.trapline.desk.view;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A note a staff member wrote on a subscriber's case. */
public record CaseNote(long id, String subscriber, Instant at, String staff, String text) implements View {
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("at", Json.text(at));
        m.put("staff", staff);
        m.put("text", text);
        return m;
    }
}
