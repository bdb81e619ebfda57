package org.trapline.attribution.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.lookup.LookupSettings;

import picocli.CommandLine;

class CommandsTest {
    static final Path SAMPLE = Path.of(System.getProperty("trapline.repo", "..")).resolve("../shared/testdata/radius/freeradius-3.2.1-detail-sample.txt");

    @TempDir
    Path data;
    Properties conf = new Properties();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int run(Object command, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    JsonNode who(String... args) throws Exception {
        run(new WhoCommand(() -> conf, () -> data), args);
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void importThenWho() throws Exception {
        assertThat(run(new ImportDetailCommand(() -> conf, () -> data), SAMPLE.toString())).isZero();
        assertThat(out.toString()).contains("5 records imported, 0 skipped");

        JsonNode matched = who("100.64.1.23", "--at", "2025-11-23T13:20:00+01:00");
        assertThat(matched.get("status").asText()).isEqualTo("MATCHED");
        assertThat(matched.get("subscriber").asText()).isEqualTo("alice@isp.example");
        assertThat(matched.get("session").get("acctSessionId").asText()).isEqualTo("sess-0001");
        assertThat(matched.get("session").get("stop").asText()).isEqualTo("2025-11-23T12:33:20Z");
        assertThat(run(new WhoCommand(() -> conf, () -> data), "2001:db8:ff00:23ab::1", "--at", "2025-11-23T12:20:00Z")).isZero();

        JsonNode none = who("100.64.1.23", "--at", "2025-11-23T14:00:00Z");
        assertThat(none.get("status").asText()).isEqualTo("NO_SESSION");
        assertThat(none.get("subscriber").isNull()).isTrue();
        assertThat(run(new WhoCommand(() -> conf, () -> data), "100.64.1.23", "--at", "2025-11-23T14:00:00Z")).isEqualTo(1);
    }

    @Test
    void notOursFollowsTheSettings() throws Exception {
        conf.setProperty(LookupSettings.SUBSCRIBER_NETWORKS, "100.64.0.0/10");
        JsonNode j = who("8.8.8.8", "--at", "2025-11-23T14:00:00Z");
        assertThat(j.get("status").asText()).isEqualTo("NOT_OURS");
        assertThat(j.has("subscriber")).isTrue();
    }

    @Test
    void badInputExitsTwoWithOneLineSayingWhatToFix() {
        assertThat(run(new WhoCommand(() -> conf, () -> data), "not-an-ip")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("who: not an IP address: 'not-an-ip'");
        assertThat(run(new WhoCommand(() -> conf, () -> data), "10.0.0.1", "--at", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).contains("--at 'yesterday'");
        assertThat(run(new ImportDetailCommand(() -> conf, () -> data), "--zone", "Mars/Base", SAMPLE.toString())).isEqualTo(2);
    }

    @Test
    void missingFileIsNotFoundButOtherFilesStillImport() {
        assertThat(run(new ImportDetailCommand(() -> conf, () -> data), data.resolve("nope").toString(), SAMPLE.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("nope: no such readable file");
        assertThat(out.toString()).contains("5 records imported");
    }
}
