package org.trapline.desk.view;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a walk of the audit's hash chain found.
 *
 * @param entries  entries checked (all of them when intact; those before the break otherwise)
 * @param brokenAt the first entry that is changed, missing or out of the chain; null when intact
 * @param problem  what is wrong with it, in words; null when intact
 */
public record AuditCheck(long entries, Long brokenAt, String problem) implements View {

    public boolean intact() {
        return brokenAt == null;
    }

    /** One line for staff: {@code chain intact, N entries} or {@code chain broken at entry N: ...}. */
    public String text() {
        return intact() ? "chain intact, " + entries + " entr" + (entries == 1 ? "y" : "ies")
                : "chain broken at entry " + brokenAt + ": " + problem;
    }

    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("intact", intact());
        m.put("entries", entries);
        m.put("broken_at", brokenAt);
        m.put("problem", problem);
        return m;
    }
}
