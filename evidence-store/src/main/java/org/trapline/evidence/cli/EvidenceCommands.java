package org.trapline.evidence.cli;

import java.util.List;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;

/**
 * The evidence store's maintenance subcommands for the {@code trapline} root command, in help order:
 * reindex, purge. What staff read (search, show, export) is the desk's.
 */
public final class EvidenceCommands {
    private EvidenceCommands() {
    }

    /**
     * @param store   the evidence store of the data directory
     * @param purges  told of each purge once it is done
     */
    public static List<Object> all(Supplier<EvidenceStore> store, PurgeWitness purges) {
        return List.of(new ReindexCommand(store), new PurgeCommand(store, purges));
    }
}
