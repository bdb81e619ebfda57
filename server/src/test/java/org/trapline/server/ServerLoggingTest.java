package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.server.log.ServerLogging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Where {@code bin/trapline run} logs: a private rolling file in the data directory, stdout only when asked or a terminal. */
class ServerLoggingTest {
    @TempDir
    Path tmp;

    @Test
    void aServiceLogsToAPrivateFileInItsDataDirAndSaysSoOnceOnItsOutput() throws Exception {
        TestInstance t = new TestInstance(tmp).set("log.console", "auto");
        int port = TestInstance.freePort();
        Path output = tmp.resolve("output.log");
        try (ServerProcess server = ServerProcess.start(t.conf, t.data, port, output)) {
            SmtpClient.sendNumbered(port, "logged", 1);
            Path file = t.data.resolve("log/trapline.log");
            Eventually.until("the hit logged as stored", () -> read(file).contains("stored as #"));
            assertThat(Files.readString(file)).contains("Trapline MX listening on 127.0.0.1:" + port);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
            // Not a terminal: from the moment the settings are read, the output holds the one line saying where the
            // log is, not the log (a first start's note that it made the loopback RADIUS secret comes before).
            List<String> said = Files.readAllLines(output);
            assertThat(said).last().isEqualTo("trapline: logging to " + file);
            assertThat(String.join("\n", said)).doesNotContain("Trapline MX listening").doesNotContain("stored as #");
        }
    }

    @Test
    void jsonLinesAreOneObjectPerEventWithTheMessage() throws Exception {
        TestInstance t = new TestInstance(tmp).set("log.format", "json").set("log.console", "off");
        int port = TestInstance.freePort();
        try (ServerProcess server = ServerProcess.start(t.conf, t.data, port, tmp.resolve("output.log"))) {
            Path file = t.data.resolve("log/trapline.log");
            Eventually.until("the start logged", () -> read(file).contains("Trapline MX listening"));
            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                JsonNode event = json.readTree(line);
                assertThat(event.path("time").asText()).endsWith("Z");
                assertThat(event.path("level").asText()).isIn("INFO", "WARN", "ERROR");
                assertThat(event.has("logger")).isTrue();
            }
            assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).path("message").asText()).startsWith("Trapline MX listening on"));
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badValuesNameTheirKey() {
        Properties p = new Properties();
        p.setProperty("log.console", "sometimes");
        assertThatThrownBy(() -> ServerLogging.from(p, tmp, false)).hasMessageContaining("log.console must be auto, on or off");
        p.setProperty("log.console", "auto");
        p.setProperty("log.format", "xml");
        assertThatThrownBy(() -> ServerLogging.from(p, tmp, false)).hasMessageContaining("log.format must be text or json");
        p.setProperty("log.format", "text");
        p.setProperty("log.file", "off");
        assertThat(ServerLogging.from(p, tmp, true)).isEqualTo(new ServerLogging(null, true, false));
    }
}
