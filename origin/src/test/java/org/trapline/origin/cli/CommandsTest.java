package org.trapline.origin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.common.CliRun;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Run run(Callable<Integer> command, String... args) {
        return new Run(CliRun.of(command, args));
    }

    /** A run with its output as lines, as these JSON-lines commands print it. */
    record Run(CliRun cli) {
        int exit() {
            return cli.exit();
        }

        String out() {
            return cli.out();
        }

        String err() {
            return cli.err();
        }

        List<String> lines() {
            return cli.out().isEmpty() ? List.of() : List.of(cli.out().split("\r?\n"));
        }
    }

    static ReceivedCommand received(String stdin) {
        return new ReceivedCommand(Properties::new, () -> Path.of("."),
                () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    static TraceCommand trace(Properties settings, byte[] stdin) {
        return new TraceCommand(() -> settings, () -> Path.of("."), () -> new ByteArrayInputStream(stdin));
    }

    @Test
    void receivedWritesTheContractFieldsInOrder() {
        Run r = run(received("{\"value\": \"from unknown (HELO MP61M.F-I.DE) ([192.0.2.7]) by p01ev.mail.s-web.de "
                + "with ESMTP/TLS/DHE-RSA-AES256-GCM-SHA384; 02 Sep 2023 04:24:06 +0200\\n\"}\n"
                + "{\"value\": \"(qmail 10681 invoked by uid 404); 14 Nov 2003 08:05:52 -0000\"}\n"
                + "{\"value\": \"from x (x [192.0.2.8]) by y; 14 Nov 2003 08:05:52 -0000\"}\n"
                + "{\"value\": \"from x (x [192.0.2.9]) by y\"}\n"));
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).containsExactly(
                "{\"ignored\": false, \"ip\": \"192.0.2.7\", \"port\": null, \"rdns\": \"\", \"helo\": \"MP61M.F-I.DE\", "
                        + "\"by\": \"p01ev.mail.s-web.de\", \"ident\": \"\", \"envfrom\": \"\", \"id\": \"\", \"auth\": \"\", "
                        + "\"time\": \"2023-09-02T04:24:06+02:00\"}",
                "{\"ignored\": true}",
                "{\"ignored\": false, \"ip\": \"192.0.2.8\", \"port\": null, \"rdns\": \"x\", \"helo\": \"x\", \"by\": \"y\", \"ident\": \"\", "
                        + "\"envfrom\": \"\", \"id\": \"\", \"auth\": \"\", \"time\": \"2003-11-14T08:05:52+00:00\"}",
                "{\"ignored\": false, \"ip\": \"192.0.2.9\", \"port\": null, \"rdns\": \"x\", \"helo\": \"x\", \"by\": \"y\", \"ident\": \"\", "
                        + "\"envfrom\": \"\", \"id\": \"\", \"auth\": \"\", \"time\": null}");
    }

    @Test
    void receivedAnswersEverySharedCaseInOrder() throws IOException {
        Path file = Path.of(System.getProperty("trapline.repo", "..")).resolve("../shared/testdata/received/sa_rcvd_parser.jsonl")
                .normalize();
        if (!Files.exists(file)) {
            file = Path.of("/work/shared/testdata/received/sa_rcvd_parser.jsonl");
        }
        StringBuilder in = new StringBuilder();
        List<JsonNode> cases = new ArrayList<>();
        for (int round = 0; round < 20; round++) { // a few thousand inputs in one run
            for (String line : Files.readAllLines(file)) {
                JsonNode c = JSON.readTree(line);
                cases.add(c);
                in.append(JSON.writeValueAsString(JSON.createObjectNode().put("value",
                        c.get("received_header_value").asText()))).append('\n');
            }
        }
        Run r = run(received(in.toString()));
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).hasSize(cases.size());
        Iterator<JsonNode> expected = cases.iterator();
        for (String line : r.lines()) {
            JsonNode c = expected.next();
            JsonNode got = JSON.readTree(line);
            assertThat(got.get("ignored").asBoolean()).isEqualTo(c.get("expected_ignored").asBoolean());
            if (!got.get("ignored").asBoolean()) {
                assertThat(got.get("ip").asText()).isEqualTo(c.get("expected").get("ip").asText());
                List<String> names = new ArrayList<>();
                got.fieldNames().forEachRemaining(names::add);
                assertThat(names).containsExactly("ignored", "ip", "port", "rdns", "helo", "by", "ident", "envfrom", "id", "auth", "time");
            }
        }
    }

    @Test
    void receivedReportsBadLinesInPlaceAndExitsTwo() {
        Run r = run(received("{\"value\": \"from x (x [192.0.2.8]) by y\"}\nnot json\n\n[1,2]\n{\"value\": 5}\n"
                + "{\"other\": \"x\"}\n{\"value\": \"by y\"}\n"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.lines()).hasSize(6);
        assertThat(r.lines().get(0)).startsWith("{\"ignored\": false");
        assertThat(r.lines().get(1)).isEqualTo("{\"error\": \"line 2: not JSON\"}");
        assertThat(r.lines().get(2)).isEqualTo("{\"error\": \"line 4: not a JSON object\"}");
        assertThat(r.lines().get(3)).isEqualTo("{\"error\": \"line 5: no string field \\\"value\\\"\"}");
        assertThat(r.lines().get(4)).isEqualTo("{\"error\": \"line 6: no string field \\\"value\\\"\"}");
        assertThat(r.lines().get(5)).isEqualTo("{\"ignored\": true}");
        assertThat(r.err()).contains("4 of 6 lines");
    }

    @Test
    void receivedSurvivesInvalidUtf8AndOverlongLines() {
        byte[] junk = {'{', '"', 'v', 'a', 'l', 'u', 'e', '"', ':', '"', (byte) 0xff, (byte) 0xc3, '"', '}', '\n'};
        String longLine = "{\"value\": \"" + "a".repeat(ReceivedCommand.MAX_LINE_CHARS + 10) + "\"}\n";
        byte[] in = (new String(junk, StandardCharsets.ISO_8859_1) + longLine + "{\"value\": \"from x ([192.0.2.1]) by y\"}\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        ReceivedCommand cmd = new ReceivedCommand(Properties::new, () -> Path.of("."), () -> new ByteArrayInputStream(in));
        Run r = run(cmd);
        assertThat(r.lines()).hasSize(3);
        assertThat(r.lines().get(0)).isEqualTo("{\"ignored\": true}");
        assertThat(r.lines().get(1)).contains("line 2: longer than");
        assertThat(r.lines().get(2)).contains("\"ip\": \"192.0.2.1\"");
        assertThat(r.exit()).isEqualTo(2);
    }

    static final String MESSAGE = "Received: from mx.isp.example (mx.isp.example [192.0.2.10])\r\n"
            + "\tby trap.isp.example (Postfix) with ESMTP id AAA1; Tue, 05 Sep 2023 10:00:05 +0200\r\n"
            + "Received: from dsl-77.pool.isp.example (dsl-77.pool.isp.example [10.0.9.77])\r\n"
            + "\tby mx.isp.example (Postfix) with ESMTP id BBB2; Tue, 05 Sep 2023 10:00:01 +0200\r\n"
            + "Subject: spam\r\n\r\nbody\r\n";

    @Test
    void traceUsesSettingsAndPrintsTheContract() {
        Properties p = new Properties();
        p.setProperty("origin.trusted-networks", "192.0.2.0/24");
        Run r = run(trace(p, MESSAGE.getBytes(StandardCharsets.US_ASCII)), "-");
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).hasSize(1);
        assertThat(r.out()).startsWith("{\"origin\": {\"ip\": \"10.0.9.77\", \"port\": null, \"endpoint\": \"10.0.9.77\", \"rdns\": \"dsl-77.pool.isp.example\", "
                + "\"helo\": \"dsl-77.pool.isp.example\", \"by\": \"mx.isp.example\", \"time\": \"2023-09-05T10:00:01+02:00\"}, "
                + "\"trusted\": [{\"ip\": \"192.0.2.10\", \"port\": null, ");
        assertThat(r.out()).contains("\"untrusted\": [{\"ip\": \"10.0.9.77\"");
    }

    @Test
    void traceOptionsReplaceSettings(@TempDir Path dir) throws IOException {
        Path eml = dir.resolve("spam.eml");
        Files.writeString(eml, MESSAGE);
        Properties p = new Properties();
        p.setProperty("origin.trusted-networks", "192.0.2.0/24");
        Run none = run(trace(p, new byte[0]), "--trusted", "192.0.2.0/24,10.0.0.0/8", eml.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).startsWith("{\"origin\": null, \"trusted\": [");
        Run client = run(trace(p, new byte[0]), "--client-ip", "::ffff:203.0.113.5", "--client-helo", "zombie",
                eml.toString());
        assertThat(client.exit()).isZero();
        assertThat(JSON.readTree(client.out()).get("origin").get("ip").asText()).isEqualTo("203.0.113.5");
        assertThat(JSON.readTree(client.out()).get("origin").get("helo").asText()).isEqualTo("zombie");
        Run v6 = run(trace(p, new byte[0]), "--client-ip", "2001:db8::77", "--client-port", "52143", eml.toString());
        assertThat(JSON.readTree(v6.out()).get("origin").get("port").asInt()).isEqualTo(52143);
        assertThat(JSON.readTree(v6.out()).get("origin").get("endpoint").asText()).isEqualTo("[2001:db8::77]:52143");
        Run v4 = run(trace(p, new byte[0]), "--client-ip", "203.0.113.5", "--client-port", "1025", eml.toString());
        assertThat(JSON.readTree(v4.out()).get("origin").get("endpoint").asText()).isEqualTo("203.0.113.5:1025");
        assertThat(JSON.readTree(v4.out()).get("untrusted").get(0).get("port").asInt()).isEqualTo(1025);
        Run msa = run(trace(p, new byte[0]), "--trusted", "", "--msa", "192.0.2.10", eml.toString());
        assertThat(JSON.readTree(msa.out()).get("origin").get("ip").asText()).isEqualTo("10.0.9.77");
        assertThat(JSON.readTree(msa.out()).get("trusted")).hasSize(2);
    }

    @Test
    void traceBadInputExitsTwoWithOneLine() {
        Properties p = new Properties();
        assertThat(run(trace(p, new byte[0]), "--trusted", "10.0.0.0/33", "-").exit()).isEqualTo(2);
        Run missing = run(trace(p, new byte[0]), "/nonexistent/x.eml");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().trim()).isEqualTo("trace: no such file: /nonexistent/x.eml");
        assertThat(run(trace(p, new byte[0]), "--client-ip", "not-an-ip", "-").exit()).isEqualTo(2);
        assertThat(run(trace(p, new byte[0]), "--client-helo", "x", "-").exit()).isEqualTo(2);
        assertThat(run(trace(p, new byte[0]), "--client-port", "25", "-").exit()).isEqualTo(2);
        assertThat(run(trace(p, new byte[0]), "--client-ip", "192.0.2.1", "--client-port", "65536", "-").exit())
                .isEqualTo(2);
        assertThat(run(trace(p, new byte[0]), "--client-ip", "192.0.2.1", "--client-port", "0", "-").exit())
                .isEqualTo(2);
        p.setProperty("origin.trusted-networks", "banana");
        Run bad = run(trace(p, new byte[0]), "-");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("origin.trusted-networks").contains("banana");
    }

    @Test
    void traceOfGarbageBytesIsAnAnswerNotACrash() {
        byte[] junk = new byte[100_000];
        new java.util.Random(7).nextBytes(junk);
        Run r = run(trace(new Properties(), junk), "-");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("{\"origin\": null");
    }
}
