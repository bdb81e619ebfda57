package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.util.Optional;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.HitView;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code trapline show ID}: one hit's metadata, what its message says, and its full trace. */
@Command(mixinStandardHelpOptions = true, name = "show", description = "Print one trap hit: metadata, decoded addresses, URLs, attachments, and the full trace.")
public final class ShowCommand extends DeskCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** URLs listed at most; the rest are in the index and in {@code export}. */
    private static final int URLS = 50;

    @Parameters(paramLabel = "ID", description = "Hit id (from search).")
    long id;

    public ShowCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        Optional<HitView> found = desk.hit(id);
        if (found.isEmpty()) {
            err().println("no trap hit " + id);
            return NOT_FOUND;
        }
        StoredHit s = found.get().stored();
        TrapHit h = s.hit();
        line("hit", Long.toString(s.id()));
        line("received", TIME.format(h.receivedAt()));
        line("trap", String.join(", ", h.trapRecipients()));
        line("envelope from", h.envelopeSender());
        line("client", h.clientIp() + " (helo " + h.helo() + ")");
        line("origin", h.originIp() == null ? "none (every hop was trusted)"
                : h.originIp() + (h.originTime() == null ? " at an unknown time" : " at " + TIME.format(h.originTime()))
                        + " (helo " + safe(h.originHelo()) + ")");
        line("attribution", h.attributionStatus());
        line("subscriber", h.subscriber());
        line("session", h.sessionId() == null ? null : h.sessionId() + " on NAS " + safe(h.nasIp()));
        line("subject", s.subject());
        line("message-id", s.messageId());
        line("size", s.size() + " bytes");
        line("sha256", s.sha256());
        line("intake", h.intakeKey());
        line("raw", s.hasRaw() ? "kept" : "purged by retention at " + TIME.format(s.rawPurgedAt()));
        Optional.ofNullable(found.get().content()).ifPresent(c -> {
            line("from", String.join(", ", c.from()));
            line("to", String.join(", ", c.to()));
            line("reply-to", String.join(", ", c.replyTo()));
            c.urls().stream().limit(URLS).forEach(u -> line("url", u));
            c.attachments().forEach(a -> line("attachment", a.name() + " (" + a.contentType() + ", " + a.size() + " bytes)"));
            c.problems().forEach(p -> line("decoding", p));
        });
        out().println("trace:");
        out().println(indent(trace(h.traceJson())));
        out().flush();
        return OK;
    }

    private void line(String label, String value) {
        out().printf("%-14s %s%n", label + ":", safe(value));
    }

    /** The trace as stored, pretty-printed: every hop, trust decision and candidate, as the pipeline saw them. */
    private static String trace(String json) {
        if (json == null || json.isBlank()) {
            return "(none)";
        }
        try {
            JsonNode node = JSON.readTree(json);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            return json;
        }
    }

    private static String indent(String text) {
        StringBuilder b = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            b.append("  ").append(safe(l)).append('\n');
        }
        return b.toString().stripTrailing();
    }
}
