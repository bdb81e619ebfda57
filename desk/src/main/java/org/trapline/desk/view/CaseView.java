package org.trapline.desk.view;

import java.util.List;

import org.trapline.evidence.CaseSummary;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The case of one subscriber: the evidence (hits by day, the sessions they fell in), where the strike
 * policy stands, every action taken, oldest first, staff's notes, newest first, and the case's status.
 *
 * @param standing null when the strike policy never counted a hit of theirs
 */
public record CaseView(CaseSummary summary, Standing standing, List<ActionView> actions, List<CaseNote> notes, CaseStatus status)
        implements View {
    public CaseView {
        actions = List.copyOf(actions);
        notes = List.copyOf(notes);
        java.util.Objects.requireNonNull(status, "status");
    }

    /**
     * {@code {subscriber, hits, first, last, days: [{day, hits}], sessions: [{session_id, nas_ip, hits, first, last}],
     * standing, actions: [as actions --json], notes: [{id, at, staff, text}], status: {status, by, at, reason}}}.
     */
    @Override
    public ObjectNode json() {
        CaseSummary c = summary;
        ObjectNode m = Json.object();
        m.put("subscriber", c.subscriber());
        m.put("hits", c.hits());
        m.put("first", Json.text(c.first()));
        m.put("last", Json.text(c.last()));
        ArrayNode days = m.putArray("days");
        for (CaseSummary.Day d : c.days()) {
            days.addObject().put("day", d.day().toString()).put("hits", d.hits());
        }
        ArrayNode sessions = m.putArray("sessions");
        for (CaseSummary.Session s : c.sessions()) {
            sessions.addObject().put("session_id", s.sessionId()).put("nas_ip", s.nasIp()).put("hits", s.hits())
                    .put("first", Json.text(s.first())).put("last", Json.text(s.last()));
        }
        m.set("standing", standing == null ? null : standing.json());
        Json.views(m, "actions", actions);
        Json.views(m, "notes", notes);
        m.set("status", status.json());
        return m;
    }
}
