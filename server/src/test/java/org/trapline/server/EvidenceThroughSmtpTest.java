package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.accounting.ExternalTools;
import org.trapline.evidence.CorpusTest;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.search.SearchHit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every message of the shared corpus goes through SMTP, the trap pipeline and into the evidence store,
 * and the abuse desk finds each again while the server runs: by a phrase of its body, by its origin IP
 * and by the subscriber whose RADIUS session (sent by radclient) held that IP. Hostile MIME is stored
 * and indexed as far as it goes, never dropped.
 */
@org.junit.jupiter.api.TestInstance(Lifecycle.PER_CLASS)
class EvidenceThroughSmtpTest {
    @TempDir
    static Path tmp;
    TestInstance t;
    TraplineServer server;
    int port;
    final List<Path> corpus = new ArrayList<>();

    static String originIp(int i) {
        return "10.20." + (i / 200) + "." + (i % 200 + 1);
    }

    static String subscriber(int i) {
        return "customer-" + (i % 12) + "@isp.example";
    }

    @BeforeAll
    void sendEverything() throws Exception {
        Path radclient = ExternalTools.require("radclient", "freeradius-utils");
        try (Stream<Path> files = Files.walk(TestInstance.shared().resolve("testdata/messages"))) {
            files.filter(Files::isRegularFile).sorted().forEach(corpus::add);
        }
        assertThat(corpus).hasSizeGreaterThan(100);
        t = new TestInstance(tmp).set("evidence.index.commit-seconds", "1").set("smtp.max-message-size", "67108864");
        port = TestInstance.freePort();
        server = t.start(port);

        // The NAS reports one session per zombie: many Accounting-Requests in one radclient run.
        StringBuilder packets = new StringBuilder();
        for (int i = 0; i < corpus.size(); i++) {
            packets.append("Acct-Status-Type = Start, User-Name = \"").append(subscriber(i)).append("\", Acct-Session-Id = \"C-")
                    .append(i).append("\", Framed-IP-Address = ").append(originIp(i))
                    .append(", NAS-IP-Address = 127.0.0.1, Acct-Delay-Time = 120\n\n");
        }
        Process nas = new ProcessBuilder(radclient.toString(), "-S", t.radiusSecretFile().toString(), "-q", "-p", "20", "-r", "3", "-t", "3",
                "127.0.0.1:" + server.radiusAddress().getPort(), "acct").redirectErrorStream(true).start();
        nas.getOutputStream().write(packets.toString().getBytes(StandardCharsets.US_ASCII));
        nas.getOutputStream().close();
        assertThat(nas.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(nas.exitValue()).as(new String(nas.getInputStream().readAllBytes())).isZero();

        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO relay.isp.example");
            for (int i = 0; i < corpus.size(); i++) {
                byte[] relayed = concat(("Received: from zombie" + i + " ([" + originIp(i) + "]) by relay.isp.example with SMTP; "
                        + now + "\r\n").getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(corpus.get(i)));
                SmtpClient.Reply r = c.send("bounce@example.org", List.of("t" + i + "@trap.example.net"), relayed);
                assertThat(r.code()).as("%s answered %s", corpus.get(i), r).isEqualTo(250);
            }
        }
        TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Every corpus hit stored by the pipeline is in the server's searcher. */
    private void awaitAllSearchable(EvidenceStore desk) throws InterruptedException {
        Eventually.until("every corpus hit is searchable", () -> desk.search("ip:10.20.0.0/16", 1, 0).total() == corpus.size());
    }

    @Test
    void everyCorpusMessageIsFoundByPhraseOriginIpAndSubscriberWhileTheServerRuns() throws Exception {
        // The running server's own store, as the commands it runs for the desk use it.
        EvidenceStore desk = server.data().evidence();
        awaitAllSearchable(desk);
        assertThat(desk.search("ip:10.20.0.0/16", 1000, 0).total()).isEqualTo(corpus.size());
        for (int i = 0; i < corpus.size(); i++) {
            byte[] original = Files.readAllBytes(corpus.get(i));
            List<Long> byIp = desk.search("ip:" + originIp(i), 5, 0).hits().stream().map(SearchHit::id).toList();
            assertThat(byIp).as("ip of %s", corpus.get(i)).hasSize(1);
            long id = byIp.get(0);
            StoredHit hit = desk.find(id).orElseThrow();
            assertThat(hit.hit().subscriber()).isEqualTo(subscriber(i));
            assertThat(hit.hit().attributionStatus()).isEqualTo("MATCHED");
            assertThat(new String(desk.raw(id).orElseThrow(), StandardCharsets.ISO_8859_1))
                    .as("raw bytes kept, with our relay's header on top").endsWith(normalised(original));
            assertThat(desk.search("subscriber:\"" + subscriber(i) + "\"", 500, 0).hits()).extracting(SearchHit::id).contains(id);
            String phrase = CorpusTest.phraseOf(original);
            if (phrase != null) {
                assertThat(desk.search("\"" + phrase + "\"", 500, 0).hits()).as("phrase \"%s\" of %s", phrase, corpus.get(i))
                        .extracting(SearchHit::id).contains(id);
            }
        }
    }

    @Test
    void searchCommandPrintsTheJsonContract() throws Exception {
        awaitAllSearchable(server.data().evidence());
        String out = TrapToSubscriberTest.run("--conf", t.conf.toString(), "--data", t.data.toString(),
                "search", "--json", "--limit", "3", "subscriber:\"" + subscriber(0) + "\" ip:10.20.0.0/16");
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("total").asInt()).isEqualTo((int) java.util.stream.IntStream.range(0, corpus.size()).filter(i -> i % 12 == 0).count());
        assertThat(json.get("hits")).hasSize(3);
        for (JsonNode hit : json.get("hits")) {
            assertThat(hit.get("subscriber").asText()).isEqualTo(subscriber(0));
            assertThat(hit.get("origin_ip").asText()).startsWith("10.20.");
            assertThat(hit.fieldNames()).toIterable().contains("id", "time", "subscriber", "origin_ip", "trap", "subject", "sha256");
        }
    }

    @Test
    void hostileMimeIsStoredAndIndexedAsFarAsItGoes() throws Exception {
        List<byte[]> hostile = new ArrayList<>();
        StringBuilder nested = new StringBuilder("Subject: nested hostile-nested\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (int d = 1; d <= 100; d++) {
            nested.append("--b").append(d - 1).append("\r\nContent-Type: multipart/mixed; boundary=\"b").append(d).append("\"\r\n\r\n");
        }
        nested.append("--b100\r\nContent-Type: text/plain\r\n\r\ndeepest nestedmarker text\r\n");
        hostile.add(nested.toString().getBytes(StandardCharsets.US_ASCII));
        hostile.add(("Subject: hostile-charset\r\nContent-Type: text/plain; charset=\"x-no-such-charset\"\r\n\r\ncharsetmarker body\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        hostile.add(("Subject: hostile-base64\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not*base64@@@\r\nQUJD\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        hostile.add(concat("Subject: hostile-nul\r\n\r\nnulmarker before\0\0\0 after\r\n".getBytes(StandardCharsets.ISO_8859_1), new byte[] {0, 0, '\r', '\n'}));
        StringBuilder big = new StringBuilder("Subject: hostile-bigattachment\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n"
                + "--x\r\nContent-Type: text/plain\r\n\r\nbigmarker see attachment\r\n--x\r\nContent-Type: application/octet-stream; name=\"payload.exe\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n");
        String line = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\r\n";
        while (big.length() < 50 * 1024 * 1024) {
            big.append(line);
        }
        big.append("--x--\r\n");
        hostile.add(big.toString().getBytes(StandardCharsets.US_ASCII));

        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO relay.isp.example");
            for (byte[] m : hostile) {
                assertThat(c.send("x@hostile.example", List.of("hostile@trap.example.net"), m).code()).isEqualTo(250);
            }
        }
        TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
        EvidenceStore desk = server.data().evidence();
        Eventually.until("the hostile messages are searchable", () -> List.of("nestedmarker", "charsetmarker", "nulmarker", "bigmarker")
                .stream().allMatch(marker -> desk.search(marker, 5, 0).total() > 0));
        for (String marker : List.of("nestedmarker", "charsetmarker", "nulmarker", "bigmarker")) {
            assertThat(desk.search(marker, 5, 0).hits()).as(marker).hasSize(1);
        }
        assertThat(desk.search("subject:hostile-base64", 5, 0).hits()).hasSize(1);
        assertThat(desk.search("has:attachment subject:hostile-bigattachment", 5, 0).hits()).hasSize(1);
        assertThat(org.trapline.mailets.spool.Spool.countQuarantined(t.data.resolve("spool"))).as("nothing quarantined").isZero();
    }

    /** What the server received of these bytes: SMTP line ends (CRLF) as our client sends them. */
    private static String normalised(byte[] original) {
        String s = new String(original, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "\r\n");
        return s.endsWith("\r\n") ? s : s + "\r\n";
    }
}
