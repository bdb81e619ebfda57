package org.trapline.desk.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.StrikeEngine;
import org.trapline.evidence.CaseSummary;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The case of one subscriber: the evidence (hits by day, the sessions and addresses they fell in), where
 * the strike policy stands, every action taken, oldest first, the strikes and manual blocks among them with
 * what each led to, staff's notes, newest first, and the case's status.
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
     * A strike (or a block staff put on by hand) when it came, in the rule's words, and the actions it led
     * to, each with the NAS's answer as the journal has it.
     */
    public record Strike(Instant at, String rule, List<ActionView> actions) {
        public Strike {
            actions = List.copyOf(actions);
        }
    }

    /** The strikes over time, oldest first, read from the journal: one decision journals its actions with one rule and one time. */
    public List<Strike> strikes() {
        Map<List<Object>, List<ActionView>> byDecision = new LinkedHashMap<>();
        actions.stream().sorted(java.util.Comparator.comparing((ActionView a) -> a.action().createdAt()).thenComparingLong(a -> a.action().id()))
                .filter(a -> StrikeEngine.blockRule(a.action().rule()))
                .forEach(a -> byDecision.computeIfAbsent(List.of(a.action().createdAt(), a.action().rule()), k -> new ArrayList<>()).add(a));
        return byDecision.values().stream().map(as -> new Strike(as.get(0).action().createdAt(), as.get(0).action().rule(), as)).toList();
    }

    /**
     * {@code {subscriber, hits, first, last, days: [{day, hits}], sessions: [{session_id, nas_ip, address, hits, first, last}],
     * standing, actions: [as actions --json], strikes: [{at, rule, actions: [{id, type, state, answer}]}],
     * notes: [{id, at, staff, text}], status: {status, by, at, reason}}}.
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
            sessions.addObject().put("session_id", s.sessionId()).put("nas_ip", s.nasIp()).put("address", s.address()).put("hits", s.hits())
                    .put("first", Json.text(s.first())).put("last", Json.text(s.last()));
        }
        m.set("standing", standing == null ? null : standing.json());
        Json.views(m, "actions", actions);
        ArrayNode strikes = m.putArray("strikes");
        for (Strike s : strikes()) {
            ObjectNode o = strikes.addObject().put("at", Json.text(s.at())).put("rule", s.rule());
            ArrayNode led = o.putArray("actions");
            for (ActionView a : s.actions()) {
                ActionRecord r = a.action();
                led.addObject().put("id", r.id()).put("type", r.type().name()).put("state", r.state().name()).put("answer", r.answer());
            }
        }
        Json.views(m, "notes", notes);
        m.set("status", status.json());
        return m;
    }
}
