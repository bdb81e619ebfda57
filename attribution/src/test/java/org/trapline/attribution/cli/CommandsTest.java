package org.trapline.attribution.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;

import picocli.CommandLine;

class CommandsTest {
    static final Path SAMPLE = Path.of(System.getProperty("trapline.repo", "..")).resolve("../shared/testdata/radius/freeradius-3.2.1-detail-sample.txt");

    @TempDir
    Path data;
    Properties conf = new Properties();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream stdin = InputStream.nullInputStream();
    SessionStore store;

    int run(Object command, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    WhoCommand who() {
        return new WhoCommand(() -> AttributionLookup.create(store(), LookupSettings.from(conf)), () -> stdin);
    }

    /** The session store both commands use, as the process that owns the data directory would hand it in. */
    SessionStore store() {
        if (store == null) {
            store = SessionStore.open(data);
        }
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    JsonNode who(String... args) throws Exception {
        run(who(), args);
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void importThenWho() throws Exception {
        assertThat(run(new ImportDetailCommand(() -> conf, this::store), SAMPLE.toString())).isZero();
        assertThat(out.toString()).contains("5 records imported, 0 skipped");

        JsonNode matched = who("100.64.1.23", "--at", "2025-11-23T13:20:00+01:00");
        assertThat(matched.get("status").asText()).isEqualTo("MATCHED");
        assertThat(matched.get("subscriber").asText()).isEqualTo("alice@isp.example");
        assertThat(matched.get("session").get("acctSessionId").asText()).isEqualTo("sess-0001");
        assertThat(matched.get("session").get("stop").asText()).isEqualTo("2025-11-23T12:33:20Z");
        assertThat(run(who(), "2001:db8:ff00:23ab::1", "--at", "2025-11-23T12:20:00Z")).isZero();

        JsonNode none = who("100.64.1.23", "--at", "2025-11-23T14:00:00Z");
        assertThat(none.get("status").asText()).isEqualTo("NO_SESSION");
        assertThat(none.get("subscriber").isNull()).isTrue();
        assertThat(run(who(), "100.64.1.23", "--at", "2025-11-23T14:00:00Z")).isEqualTo(1);
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
        assertThat(run(who(), "not-an-ip")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("who: not an IP address: 'not-an-ip'");
        assertThat(run(who(), "10.0.0.1", "--at", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).contains("--at 'yesterday'");
        assertThat(run(new ImportDetailCommand(() -> conf, this::store), "--zone", "Mars/Base", SAMPLE.toString())).isEqualTo(2);
    }

    @Test
    void missingFileIsNotFoundButOtherFilesStillImport() {
        assertThat(run(new ImportDetailCommand(() -> conf, this::store), data.resolve("nope").toString(), SAMPLE.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("nope: no such readable file");
        assertThat(out.toString()).contains("5 records imported");
    }

    @Test
    void stdinAnswersEveryLineInOrderAndMarksTheBadOnes() throws Exception {
        assertThat(run(new ImportDetailCommand(() -> conf, this::store), SAMPLE.toString())).isZero();
        stdin = new ByteArrayInputStream(("""
                {"ip": "100.64.1.23", "at": "2025-11-23T13:20:00+01:00"}
                {"ip": "100.64.1.23", "at": "2025-11-23T14:00:00Z"}
                not json
                {"ip": "300.1.1.1"}
                {"ip": "100.64.1.23", "at": "noon"}

                {"ip": "2001:db8:ff00:23ab::1", "at": "2025-11-23T12:20:00Z"}
                """).getBytes(StandardCharsets.UTF_8));
        assertThat(run(who(), "--stdin")).isEqualTo(2);
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(6);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(lines[0]).get("subscriber").asText()).isEqualTo("alice@isp.example");
        assertThat(json.readTree(lines[1]).get("status").asText()).isEqualTo("NO_SESSION");
        assertThat(json.readTree(lines[2]).get("line").asInt()).isEqualTo(3);
        assertThat(json.readTree(lines[2]).get("error").asText()).startsWith("not JSON");
        assertThat(json.readTree(lines[3]).get("line").asInt()).isEqualTo(4);
        assertThat(json.readTree(lines[4]).get("error").asText()).contains("'noon'");
        assertThat(json.readTree(lines[5]).get("status").asText()).isEqualTo("MATCHED");
        assertThat(lines).allMatch(l -> !l.contains("\n  "));
    }

    @Test
    void stdinWithOnlyGoodLinesExitsZeroAndIpWithStdinIsBadInput() {
        stdin = new ByteArrayInputStream("{\"ip\": \"192.0.2.1\"}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(run(who(), "--stdin")).isZero();
        assertThat(run(who(), "--stdin", "192.0.2.1")).isEqualTo(2);
        assertThat(err.toString()).contains("either IP [--at TIME] or --stdin");
        assertThat(run(who())).isEqualTo(2);
    }
}
