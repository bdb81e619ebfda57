package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command explains itself with --help and -h, exit 0, without a conf or data directory to read. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"run", "check", "status", "received", "trace", "who", "import-detail", "import-report", "search", "show", "export", "case",
            "reindex", "purge", "actions", "confirm", "dismiss", "unblock", "acl", "retry", "brake", "audit"})
    void everyCommandHasHelp(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            Cli r = Cli.run("--conf", "/nonexistent", command, flag);
            assertThat(r.code()).as(command + " " + flag + ": " + r.err()).isZero();
            assertThat(r.out()).as(command + " " + flag).startsWith("Usage: trapline " + command);
        }
    }
}
