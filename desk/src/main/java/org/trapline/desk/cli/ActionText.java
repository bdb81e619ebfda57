package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import org.trapline.common.TerminalText;
import org.trapline.enforcement.ActionRecord;

/** Actions as the terminal shows them: one line each, or everything journaled. */
final class ActionText {
    private ActionText() {
    }

    /** One line per action: id, time, type, state, subscriber, outcome, then the rule. */
    static String line(ActionRecord a) {
        return String.format("%-6d %s  %-10s %-14s %-20s %-40s %s", a.id(), a.createdAt(), a.type(), a.state(),
                safe(a.subscriber()), safe(a.outcome()), safe(a.rule()));
    }

    /** Everything journaled about one action, for the decisions and {@code actions --details}. */
    static String details(ActionRecord a) {
        StringBuilder b = new StringBuilder(line(a)).append('\n');
        field(b, "target", a.target());
        field(b, "attributes", a.attributes());
        field(b, "mode", a.mode().text());
        field(b, "actor", a.actor());
        field(b, "hits", String.join(",", a.hitIds()));
        field(b, "decided", a.decidedBy() == null ? null : a.decidedBy() + " at " + a.decidedAt());
        field(b, "reason", a.reason());
        field(b, "nas", a.nas());
        field(b, "retries", a.retries() == null ? null : a.retries().toString());
        field(b, "request", a.request());
        field(b, "answer", a.answer());
        field(b, "note", a.note());
        field(b, "finished", a.finishedAt() == null ? null : a.finishedAt().toString());
        return b.toString();
    }

    /** A NAS's answer runs over several lines: each keeps its indentation under the field's name. */
    private static void field(StringBuilder b, String name, String value) {
        if (value == null || value.isEmpty()) return;
        b.append("       ").append(name).append(": ");
        b.append(String.join("\n         ", value.lines().map(TerminalText::safe).toList())).append('\n');
    }
}
