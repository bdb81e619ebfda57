package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.MboxReport;
import org.trapline.desk.view.RawMessage;
import org.trapline.evidence.export.Mbox;
import org.trapline.reports.arf.ArfWriter;
import org.trapline.reports.out.Incident;
import org.trapline.reports.out.Reporter;
import org.trapline.reports.xarf.XarfWriter;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline export ID} writes one hit's raw message (.eml) byte for byte;
 * {@code trapline export --case SUBSCRIBER} writes all of a subscriber's kept messages as one mbox.
 * {@code --format arf} writes an RFC 5965 feedback report per hit instead (a case: an mbox of them),
 * {@code --format xarf} a XARF v4 JSON report (a case: JSON lines, one report per hit, as XARF asks
 * one report per incident). Output goes to {@code -o FILE}, or to standard output (bytes, not text).
 */
@Command(mixinStandardHelpOptions = true, name = "export",
        description = "Write a hit's raw message (.eml), an ARF or XARF report about it, or with --case a subscriber's as mbox / JSON lines.")
public final class ExportCommand extends DeskCommand {
    private final Supplier<OutputStream> stdout;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "ID", description = "Hit id to export as .eml.")
        Long id;

        @Option(names = "--case", paramLabel = "SUBSCRIBER", description = "Export every kept message of this subscriber as mbox.")
        String subscriber;
    }

    /** What an export writes. */
    enum Format {
        eml, arf, xarf
    }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "eml",
            description = "eml (default: the raw message; a case as mbox), arf (RFC 5965; a case as mbox of reports), xarf (XARF v4 JSON; a case as JSON lines).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output (refuses to overwrite).")
    Path output;

    private final Supplier<Reporter> reporter;
    private final ArfWriter arf = new ArfWriter();
    private final XarfWriter xarf = new XarfWriter();

    /** With the reporter of empty settings (abuse@localhost): for tests and tools without settings. */
    public ExportCommand(Supplier<Desk> desk, Supplier<OutputStream> stdout) {
        this(desk, stdout, () -> Reporter.from(new Properties()));
    }

    /**
     * @param stdout   the byte stream that stands for standard output
     * @param reporter who signs ARF and XARF reports ({@code report.out.*} settings)
     */
    public ExportCommand(Supplier<Desk> desk, Supplier<OutputStream> stdout, Supplier<Reporter> reporter) {
        super(desk);
        this.stdout = stdout;
        this.reporter = reporter;
    }

    @Override
    int run(Desk desk) throws IOException {
        if (output != null && Files.exists(output)) {
            err().println(output + " exists; choose another -o FILE");
            return BAD_INPUT;
        }
        return target.id != null ? exportOne(desk, target.id) : exportCase(desk, target.subscriber);
    }

    private int exportOne(Desk desk, long id) throws IOException {
        Optional<RawMessage> raw = desk.raw(id);
        if (raw.isEmpty()) {
            err().println("no trap hit " + id);
            return NOT_FOUND;
        }
        if (raw.get().purged()) {
            err().println("hit " + id + ": raw message purged by retention (sha256 " + raw.get().sha256() + ")");
            return NOT_FOUND;
        }
        if (format == Format.eml) {
            try (OutputStream out = open()) {
                out.write(raw.get().bytes());
            }
            return OK;
        }
        Optional<Incident> incident = desk.incident(id);
        if (incident.isEmpty()) {
            err().println("hit " + id + ": raw message purged by retention");
            return NOT_FOUND;
        }
        if (format == Format.xarf && incident.get().sourceIp() == null) {
            err().println("hit " + id + ": no source address known, and XARF requires one");
            return BAD_INPUT;
        }
        byte[] report = report(incident.get(), reporter.get());
        try (OutputStream out = open()) {
            out.write(report);
        }
        return OK;
    }

    private byte[] report(Incident incident, Reporter who) {
        return format == Format.arf ? arf.write(incident, who, null, Instant.now())
                : (xarf.write(incident, who) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private int exportCase(Desk desk, String subscriber) throws IOException {
        Reporter who = reporter.get();
        long[] unsourced = {0};
        Optional<MboxReport> report = switch (format) {
            case eml -> desk.caseMbox(subscriber, this::open);
            case arf -> desk.caseIncidents(subscriber, this::open,
                    (out, i) -> Mbox.write(out, who.contact(), i.arrival(), arf.write(i, who, null, Instant.now())));
            case xarf -> desk.caseIncidents(subscriber, this::open, (out, i) -> {
                if (i.sourceIp() == null) {
                    unsourced[0]++;
                } else {
                    out.write(report(i, who));
                }
            });
        };
        if (report.isEmpty()) {
            err().println("no trap hits for subscriber " + safe(subscriber));
            return NOT_FOUND;
        }
        long purged = report.get().purged();
        err().println((report.get().written() - unsourced[0]) + (format == Format.eml ? " messages" : " reports") + " exported"
                + (purged > 0 ? ", " + purged + " purged by retention and left out" : "")
                + (unsourced[0] > 0 ? ", " + unsourced[0] + " without a source address left out (XARF requires one)" : ""));
        return OK;
    }

    private OutputStream open() throws IOException {
        if (output == null) {
            return new FilterOutputStream(stdout.get()) {
                @Override
                public void close() throws IOException {
                    flush(); // standard output stays open
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }
            };
        }
        return Files.newOutputStream(output, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
