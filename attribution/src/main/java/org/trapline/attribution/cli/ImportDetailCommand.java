package org.trapline.attribution.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.attribution.detail.DetailImportSettings;
import org.trapline.attribution.detail.DetailImporter;
import org.trapline.attribution.detail.DetailProblem;
import org.trapline.attribution.session.SessionStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trapline import-detail FILE...}: imports FreeRADIUS detail files into the session store. */
@Command(name = "import-detail", mixinStandardHelpOptions = true,
        description = {"Import FreeRADIUS detail files into the session store. Records can come in any order and "
                + "twice: sessions come out the same. A bad record is reported as FILE:LINE and skipped.",
                "Exit 0 when every file was read, 1 when a file is missing or unreadable, 2 for bad options."})
public final class ImportDetailCommand implements Callable<Integer> {
    /** Files smaller than this finish too fast to need a progress bar. */
    private static final long PROGRESS_BAR_BYTES = 4L << 20;
    private static final int MAX_PROBLEMS_SHOWN = 100;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "detail files")
    List<Path> files;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "zone of the FreeRADIUS server, for records without Timestamp (default: this system's)")
    String zone;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    private final Supplier<Properties> settings;
    private final Supplier<SessionStore> sessions;

    /** @param sessions the session store to import into (owned by the caller, left open) */
    public ImportDetailCommand(Supplier<Properties> settings, Supplier<SessionStore> sessions) {
        this.settings = settings;
        this.sessions = sessions;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ZoneId headerZone;
        try {
            headerZone = zone == null ? ZoneId.systemDefault() : ZoneId.of(zone);
        } catch (DateTimeException e) {
            err.println("import-detail: --zone '" + zone + "' is not a zone such as Europe/Berlin or UTC");
            err.flush();
            return 2;
        }
        DetailImportSettings importSettings;
        try {
            importSettings = DetailImportSettings.from(settings.get());
        } catch (IllegalArgumentException e) {
            err.println("import-detail: " + e.getMessage());
            err.flush();
            return 2;
        }
        int exit = 0;
        long[] shown = {0};
        DetailImporter importer = new DetailImporter(sessions.get(), headerZone, importSettings);
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("import-detail: " + file + ": no such readable file");
                err.flush();
                exit = 1;
                continue;
            }
            ProgressBar bar = new ProgressBar(err, file.getFileName().toString(), !quiet && sizeOf(file) >= PROGRESS_BAR_BYTES);
            try {
                DetailImporter.Result r = importer.importFile(file, p -> {
                    bar.clear();
                    if (shown[0]++ < MAX_PROBLEMS_SHOWN) {
                        err.println(p);
                    } else if (shown[0] == MAX_PROBLEMS_SHOWN + 1) {
                        err.println("import-detail: more skipped records not shown");
                    }
                }, bar);
                bar.done();
                out.printf(Locale.ROOT, "%s: %d records imported, %d skipped, %.1f s (%.0f records/s)%n", file, r.records(),
                        r.problems(), r.took().toNanos() / 1e9, r.recordsPerSecond());
                out.flush();
            } catch (IOException e) {
                bar.clear();
                err.println("import-detail: " + file + ": " + e.getMessage());
                exit = 1;
            }
            err.flush();
        }
        return exit;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A one-line bar on stderr, redrawn at most five times a second. */
    private static final class ProgressBar implements DetailImporter.Progress {
        private final PrintWriter err;
        private final String name;
        private final boolean enabled;
        private final long startNanos = System.nanoTime();
        private long lastDraw;
        private boolean drawn;

        ProgressBar(PrintWriter err, String name, boolean enabled) {
            this.err = err;
            this.name = name;
            this.enabled = enabled;
        }

        @Override
        public void update(long done, long total, long records) {
            long now = System.nanoTime();
            if (!enabled || (now - lastDraw < 200_000_000L && done < total)) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = total == 0 ? width : (int) (width * done / total);
            double mb = done / 1048576.0;
            double secs = Math.max(1e-9, (now - startNanos) / 1e9);
            err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %.1f MB %.1f MB/s", name, "#".repeat(filled), ".".repeat(width - filled),
                    total == 0 ? 100 : 100 * done / total, mb, mb / secs);
            err.flush();
            drawn = true;
        }

        void clear() {
            if (drawn) {
                err.print("\r" + " ".repeat(78) + "\r");
                drawn = false;
            }
        }

        void done() {
            if (drawn) {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
