package org.trapline.desk.view;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where staff say a case stands, who said so, when and why. A case nobody set a status on is open.
 *
 * @param at    null (and {@code staff} null) for a case nobody set a status on
 */
public record CaseStatus(State state, Instant at, String staff, String reason) implements View {

    /** A case's status, as staff set it. */
    public enum State {
        OPEN, WAITING_FOR_CUSTOMER, RESOLVED, IGNORED;

        /** Lower case with dashes: {@code waiting-for-customer}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @throws IllegalArgumentException naming the statuses there are */
        public static State parse(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            for (State s : values()) {
                if (s.text().equals(t)) return s;
            }
            throw new IllegalArgumentException("a case status is one of " + Arrays.stream(values()).map(State::text)
                    .collect(Collectors.joining(", ")));
        }
    }

    /** The status of a case nobody set one on. */
    public static CaseStatus unset() {
        return new CaseStatus(State.OPEN, null, null, null);
    }

    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("status", state.text());
        m.put("by", staff);
        m.put("at", Json.text(at));
        m.put("reason", reason);
        return m;
    }
}
