package org.trapline.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * bin/trapline starts each subcommand's JVM with the options {@code launcher.java-options.<subcommand>}
 * of trapline.properties (read by bin/java-options.sh before any Java runs).
 */
class LauncherOptionsTest {
    private static final Path REPO = Path.of(System.getProperty("trapline.repo", "..")).toAbsolutePath().normalize();

    private static String bash(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "source bin/java-options.sh; " + script)
                .directory(REPO.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    /** A misspelt flag would stop every import-detail before it began: the shipped ones must start this JVM. */
    @Test
    void shippedImportDetailOptionsStartAJvm() throws Exception {
        String options = bash("trapline_java_options conf import-detail");
        assertThat(options).as("the shipped conf sets JVM options for import-detail").isNotEmpty();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options.split("\\s+")));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        assertThat(bash("trapline_java_options conf who")).as("no options for other subcommands").isEmpty();
    }

    @Test
    void theSubcommandAndConfDirectoryAreFoundWhereverTheOptionsStand() throws Exception {
        assertThat(bash("TRAPLINE_CONF_DIR=conf; trapline_command_line --data /d import-detail --zone UTC --conf /etc/t a b;"
                + " echo \"$TRAPLINE_SUBCOMMAND $TRAPLINE_CONF_DIR\"")).isEqualTo("import-detail /etc/t");
        assertThat(bash("TRAPLINE_CONF_DIR=conf; trapline_command_line --conf=/c --data /d who 10.0.0.1;"
                + " echo \"$TRAPLINE_SUBCOMMAND $TRAPLINE_CONF_DIR\"")).isEqualTo("who /c");
        assertThat(bash("TRAPLINE_CONF_DIR=conf; trapline_command_line --help; echo \"[$TRAPLINE_SUBCOMMAND] $TRAPLINE_CONF_DIR\""))
                .isEqualTo("[] conf");
    }

    @Test
    void theLastSettingOfAKeyWinsAndOtherKeysAreIgnored(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("trapline.properties"), String.join("\n",
                "# launcher.java-options.import-detail=-Xcomment",
                "launcher.java-options.import-detail = -Xmx1g",
                "launcher.java-options.import-detail-x=-Xother",
                "launcher.java-options.import-detail: -Xmx2g -XX:+UseSerialGC", ""));
        assertThat(bash("trapline_java_options '" + dir + "' import-detail")).isEqualTo("-Xmx2g -XX:+UseSerialGC");
    }
}
