package org.trapline.evidence.cli;

import java.io.OutputStream;
import java.util.List;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;

/**
 * The evidence store's subcommands for the {@code trapline} root command, in help order:
 * search, show, export, reindex, purge.
 */
public final class EvidenceCommands {
    private EvidenceCommands() {
    }

    /**
     * @param store  the evidence store of the data directory
     * @param stdout standard output as bytes, for raw exports
     */
    public static List<Object> all(Supplier<EvidenceStore> store, Supplier<OutputStream> stdout) {
        return List.of(new SearchCommand(store), new ShowCommand(store), new ExportCommand(store, stdout),
                new ReindexCommand(store), new PurgeCommand(store));
    }
}
