package org.trapline.evidence.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceException;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.evidence.EvidenceStore;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every evidence command shares: the loaded settings and data directory handed in by the root
 * command, opening the store, and the exit codes (0 done, 1 not found, 2 bad input).
 */
abstract class StoreCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int BAD_INPUT = 2;

    private final Supplier<Properties> settings;
    private final Supplier<Path> dataDir;

    @Spec
    CommandSpec spec;

    StoreCommand(Supplier<Properties> settings, Supplier<Path> dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    /** Work done with an open store; the store is closed afterwards. */
    abstract int run(EvidenceStore store) throws Exception;

    @Override
    public final Integer call() throws Exception {
        EvidenceSettings parsed;
        try {
            parsed = EvidenceSettings.from(settings.get());
        } catch (IllegalArgumentException e) {
            err().println("trapline.properties: " + e.getMessage());
            return BAD_INPUT;
        }
        EvidenceStore store;
        try {
            store = EvidenceStore.open(dataDir.get(), Clock.systemUTC(), parsed);
        } catch (EvidenceException e) {
            err().println(e.getMessage() + " (is the server running on the same data directory?)");
            return NOT_FOUND;
        }
        try (store) {
            return run(store);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Spam text is hostile: no control characters (terminal escapes) reach the staff's terminal. */
    static String safe(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || cp >= 0x80 && cp < 0xa0 || cp == 0x200e || cp == 0x200f
                    || cp >= 0x202a && cp <= 0x202e || cp >= 0x2066 && cp <= 0x2069) {
                b.append(' ');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
