package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.AuditCheck;
import org.trapline.desk.view.AuditEntry;
import org.trapline.desk.view.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trapline audit [--json] [--since T] [--limit N] [--verify]}: the staff audit, newest first, or
 * a walk of its hash chain. With {@code --verify}, exit 0 and {@code chain intact, N entries}, or exit 1
 * and the first entry that was changed, removed or put out of the chain.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = {
        "List the staff audit (logins, views of raw evidence, decisions, notes, case status), newest first,",
        "or check its hash chain with --verify (exit 1 and the first broken entry when it is broken)."})
public final class AuditCommand extends DeskCommand {
    static final int BROKEN = 1;

    @Option(names = "--json", description = "One JSON object per entry, with the chain's hashes.")
    boolean json;

    @Option(names = "--since", paramLabel = "T", description = "Entries from T on: an instant (2026-12-01T08:00:00Z) or a day (2026-12-01, UTC).")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "Most entries to list (default: ${DEFAULT-VALUE}).")
    int limit = 1000;

    @Option(names = "--verify", description = "Walk the hash chain from the first entry; say the first broken one.")
    boolean verify;

    public AuditCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        if (verify) {
            AuditCheck check = desk.verifyAudit();
            out().println(json ? Json.write(check) : check.text());
            out().flush();
            return check.intact() ? OK : BROKEN;
        }
        Instant from;
        try {
            from = since == null ? null : parse(since.strip());
        } catch (DateTimeParseException e) {
            err().println("trapline: --since takes an instant (2026-12-01T08:00:00Z) or a day (2026-12-01), not '" + safe(since) + "'");
            return BAD_INPUT;
        }
        for (AuditEntry e : desk.auditLog(from, limit)) {
            out().println(json ? Json.write(e) : line(e));
        }
        out().flush();
        return OK;
    }

    private static Instant parse(String t) {
        return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
    }

    private static String line(AuditEntry e) {
        return "#" + e.seq() + "  " + TIME.format(e.at()) + "  " + safe(e.staff()) + "  " + safe(e.from()) + "  " + e.act()
                + (e.subject().isEmpty() ? "" : "  " + safe(e.subject())) + (e.detail().isEmpty() ? "" : "  " + safe(e.detail()));
    }
}
