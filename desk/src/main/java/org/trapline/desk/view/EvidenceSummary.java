package org.trapline.desk.view;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The trap hits behind an action, in a few lines, for the staff member who decides on it: how many,
 * when, from where, in which sessions, attributed how, and what they were about. Each list holds
 * distinct values, newest hit first, a few at most.
 *
 * @param hits    hit ids the action names
 * @param found   of those looked up, the hits still in the evidence (a purge removes them)
 * @param week    the subscriber's trap hits on the last seven UTC days, today's included
 * @param first   the oldest hit found, or null
 * @param last    the newest hit found, or null
 */
public record EvidenceSummary(int hits, int found, long week, Instant first, Instant last, List<String> originIps, List<String> sessions,
                              List<String> attributions, List<String> subjects) implements View {
    public EvidenceSummary {
        originIps = List.copyOf(originIps);
        sessions = List.copyOf(sessions);
        attributions = List.copyOf(attributions);
        subjects = List.copyOf(subjects);
    }

    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("hits", hits);
        m.put("found", found);
        m.put("hits_this_week", week);
        m.put("first", Json.text(first));
        m.put("last", Json.text(last));
        Json.strings(m, "origin_ips", originIps);
        Json.strings(m, "sessions", sessions);
        Json.strings(m, "attributions", attributions);
        Json.strings(m, "subjects", subjects);
        return m;
    }
}
