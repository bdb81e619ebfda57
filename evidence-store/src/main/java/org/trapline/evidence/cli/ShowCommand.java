package org.trapline.evidence.cli;

import static org.trapline.common.TerminalText.safe;

import java.util.Optional;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.mime.MessageContent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code trapline show ID}: one hit's metadata, what its message says, and its full trace. */
@Command(mixinStandardHelpOptions = true, name = "show", description = "Print one trap hit: metadata, decoded addresses, URLs, attachments, and the full trace.")
public final class ShowCommand extends StoreCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "ID", description = "Hit id (from search).")
    long id;

    public ShowCommand(Supplier<EvidenceStore> store) {
        super(store);
    }

    @Override
    protected int run(EvidenceStore store) {
        Optional<StoredHit> found = store.find(id);
        if (found.isEmpty()) {
            err().println("no trap hit " + id);
            return NOT_FOUND;
        }
        StoredHit s = found.get();
        TrapHit h = s.hit();
        line("hit", Long.toString(s.id()));
        line("received", SearchCommand.TIME.format(h.receivedAt()));
        line("trap", String.join(", ", h.trapRecipients()));
        line("envelope from", h.envelopeSender());
        line("client", h.clientIp() + " (helo " + h.helo() + ")");
        line("origin", h.originIp() == null ? "none (every hop was trusted)"
                : h.originIp() + (h.originTime() == null ? " at an unknown time" : " at " + SearchCommand.TIME.format(h.originTime()))
                        + " (helo " + safe(h.originHelo()) + ")");
        line("attribution", h.attributionStatus());
        line("subscriber", h.subscriber());
        line("session", h.sessionId() == null ? null : h.sessionId() + " on NAS " + safe(h.nasIp()));
        line("subject", s.subject());
        line("message-id", s.messageId());
        line("size", s.size() + " bytes");
        line("sha256", s.sha256());
        line("intake", h.intakeKey());
        line("raw", s.hasRaw() ? "kept" : "purged by retention at " + SearchCommand.TIME.format(s.rawPurgedAt()));
        Optional<MessageContent> content = s.hasRaw() ? store.content(id) : Optional.empty();
        content.ifPresent(c -> {
            line("from", String.join(", ", c.from()));
            line("to", String.join(", ", c.to()));
            line("reply-to", String.join(", ", c.replyTo()));
            c.urls().stream().limit(50).forEach(u -> line("url", u));
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
