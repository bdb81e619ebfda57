package org.trapline.evidence.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The evidence store's subcommands for the {@code trapline} root command, in help order:
 * search, show, export, case, reindex, purge.
 */
public final class EvidenceCommands {
    private EvidenceCommands() {
    }

    public static List<Object> all(Supplier<Properties> settings, Supplier<Path> dataDir) {
        return List.of(new SearchCommand(settings, dataDir), new ShowCommand(settings, dataDir),
                new ExportCommand(settings, dataDir), new CaseCommand(settings, dataDir),
                new ReindexCommand(settings, dataDir), new PurgeCommand(settings, dataDir));
    }
}
