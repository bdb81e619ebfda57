package org.trapline.reports.intake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.common.TerminalText;
import org.trapline.common.net.IpAddress;
import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.intake.ReportClassifier;
import org.trapline.reports.intake.ReportFiles;
import org.trapline.reports.intake.ReportTracer;
import org.trapline.reports.intake.TracedReport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trapline import-report --dry-run --json FILE...}: reads abuse reports from mail files, mboxes
 * and Maildirs, traces and attributes each, and prints one JSON line per report, storing nothing.
 */
@Command(name = "import-report", mixinStandardHelpOptions = true,
        description = {"Read abuse reports (ARF, SpamCop, X-ARF/XARF, forwarded spam) from mail files, mboxes or Maildirs, "
                + "trace the spam each quotes and attribute it, as who does.",
                "With --dry-run --json: one JSON line per report, nothing stored. A report that cannot be read is a line "
                        + "with \"kind\": \"unknown\" and its \"reason\"; a FILE that cannot be read is one line on stderr.",
                "Storing reports (without --dry-run) is not built yet.",
                "Exit 0 when every FILE was read, 2 for bad usage or a FILE that could not be read."})
public final class ImportReportCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "read, trace and attribute, store nothing")
    boolean dryRun;

    @Option(names = "--json", description = "one JSON line per report (the only output there is)")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "a mail file, an mbox or a Maildir directory")
    List<Path> files;

    private final Supplier<Properties> settings;
    private final Supplier<AttributionLookup> lookup;

    /**
     * @param settings the settings in force ({@code attribution.subscriber-networks} is the trust boundary)
     * @param lookup   the attribution lookup of the data directory, as who uses it
     */
    public ImportReportCommand(Supplier<Properties> settings, Supplier<AttributionLookup> lookup) {
        this.settings = settings;
        this.lookup = lookup;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!dryRun) {
            err.println("import-report: storing reports is not built yet; use --dry-run --json");
            err.flush();
            return 2;
        }
        if (!json) {
            err.println("import-report: --dry-run prints JSON lines only; add --json");
            err.flush();
            return 2;
        }
        ReportTracer tracer;
        try {
            tracer = new ReportTracer(LookupSettings.from(settings.get()).subscriberNetworks());
        } catch (IllegalArgumentException e) {
            err.println("import-report: " + e.getMessage());
            err.flush();
            return 2;
        }
        ReportClassifier classifier = new ReportClassifier();
        AttributionLookup attribution = lookup.get();
        Set<String> seen = new HashSet<>();
        boolean allRead = true;
        for (Path given : files) {
            // the label names one file wherever the command ran (inside the server, paths arrive resolved)
            Path file = given.toAbsolutePath().normalize();
            try {
                ReportFiles.read(file, item -> {
                    if (item.error() != null) {
                        print(out, ReportJson.unreadable(item.label(), item.error()));
                        return;
                    }
                    Report report = classifier.read(item.bytes());
                    TracedReport traced = tracer.trace(report);
                    String sha = report.reported() == null ? null : report.reported().sha256();
                    boolean duplicate = sha != null && !seen.add(sha);
                    print(out, ReportJson.line(item.label(), traced, attribute(attribution, traced), duplicate));
                });
            } catch (IOException e) {
                allRead = false;
                String m = e.getMessage() == null ? e.toString() : oneLine(e.getMessage());
                err.println("import-report: " + TerminalText.safe(m.contains(file.toString()) ? m : file + ": " + m));
            }
        }
        out.flush();
        err.flush();
        return allRead ? 0 : 2;
    }

    /** Who held the deciding address at the deciding time; null when either is missing (never "now"). */
    private static Attribution attribute(AttributionLookup lookup, TracedReport traced) {
        if (traced.report().kind() == ReportKind.UNKNOWN || traced.source().ip() == null || traced.source().time() == null) {
            return null;
        }
        return lookup.lookup(IpAddress.parse(traced.source().ip()), traced.source().time().toInstant());
    }

    private static void print(PrintWriter out, Map<String, Object> line) {
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oneLine(String s) {
        return s.lines().findFirst().orElse("");
    }
}
