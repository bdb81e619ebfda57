package org.trapline.evidence.cli;

import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;

import picocli.CommandLine.Command;

/** {@code trapline reindex}: rebuilds the search index from the raw store and the database. */
@Command(mixinStandardHelpOptions = true, name = "reindex", description = "Rebuild the search index from the raw messages and the hit database, with a progress bar.")
public final class ReindexCommand extends StoreCommand {
    private static final int BAR = 40;

    public ReindexCommand(Supplier<EvidenceStore> store) {
        super(store);
    }

    @Override
    protected int run(EvidenceStore store) {
        long started = System.nanoTime();
        int[] lastPercent = {-1};
        long n = store.reindex((done, total) -> {
            int percent = total == 0 ? 100 : (int) (100 * done / total);
            if (percent != lastPercent[0] || done == total) {
                lastPercent[0] = percent;
                int filled = percent * BAR / 100;
                err().printf("\r[%s%s] %3d%% %d/%d", "#".repeat(filled), " ".repeat(BAR - filled), percent, done, total);
                err().flush();
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        err().println();
        out().printf("reindexed %d hits in %.1f s (%.0f hits/s); index is %d bytes%n", n, seconds, n / Math.max(seconds, 1e-9),
                store.indexBytes());
        out().flush();
        return OK;
    }
}
