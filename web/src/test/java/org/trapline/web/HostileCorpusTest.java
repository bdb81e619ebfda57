package org.trapline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.Session;
import org.trapline.desk.Desk;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.TrapHit;
import org.trapline.web.account.PasswordHash;
import org.trapline.web.account.Role;
import org.trapline.web.account.StaffAccounts;

/**
 * The desk's pages over messages written to attack the people reading them: script in subjects, addresses,
 * file names and bodies, javascript: links, SVG with script, CSS url(), meta refresh, base href, broken and
 * lying charsets, a message of 10,000 parts, and the shared corpus's real spam. Every page answers; nothing
 * in it can run but the desk's own script; the HTML view loads nothing but the message's own images.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {
    static final String CRLF = "\r\n";
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    @TempDir
    static Path data;
    EvidenceStore evidence;
    PolicyDatabase policy;
    StaffAccounts staff;
    org.trapline.desk.casebook.Casebook casebook;
    WebDesk web;
    Http http;
    String[] analyst;
    final Map<String, Long> hits = new LinkedHashMap<>();

    @BeforeAll
    void start() throws IOException {
        evidence = EvidenceStore.open(data, Clock.systemUTC());
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        for (Map.Entry<String, byte[]> m : corpus().entrySet()) {
            t = t.plusSeconds(60);
            TrapHit hit = TrapHit.of("k-" + m.getKey(), t, "<script>@spam.example", List.of("a\"><script>alert(1)</script>@trap.example.net"))
                    .withClient("<b onmouseover=alert(1)>", "192.0.2.9")
                    .withOrigin("198.51.100.7", t.minusSeconds(30), "javascript:alert(1)")
                    .withAttribution("MATCHED", "eve<script>alert(1)</script>", "S-1", "10.0.0.1")
                    .withTrace(trace(t));
            hits.put(m.getKey(), evidence.record(hit, m.getValue()).hitId());
        }
        evidence.refreshIndex();
        policy = PolicyDatabase.open(data);
        Clock clock = Clock.fixed(t, ZoneOffset.UTC);
        Enforcer enforcer = new Enforcer(PolicySettings.from(new java.util.Properties()), policy.jdbi(),
                c -> new CoaResult(CoaResult.Outcome.ACK, null, 1, "x", "", "", "", t0(), t0()), n -> "", s -> Optional.empty(), clock);
        Session session = new Session(1, "u1", "S-1", "eve<script>alert(1)</script>", "10.0.0.1", "198.51.100.7", null, null, null,
                Instant.parse("2026-11-25T09:00:00Z"), Instant.parse("2026-11-25T09:30:00Z"), null, null, null, null, true, false);
        casebook = org.trapline.desk.casebook.Casebook.inMemory("hostile-casebook-" + System.nanoTime());
        Desk desk = new Desk(() -> evidence, () -> enforcer, () -> casebook, (nas, id) -> Optional.of(session), clock);
        staff = StaffAccounts.inMemory("hostile" + System.nanoTime(), new PasswordHash(4), Clock.systemUTC());
        staff.add("analyst", Role.ANALYST, "pw-analyst-12345".toCharArray());
        staff.add("viewer", Role.VIEWER, "pw-viewer-123456".toCharArray());
        web = WebDesk.start(new DeskSettings("127.0.0.1", 0, false), () -> desk, () -> staff, Clock.systemUTC());
        http = new Http(web.address());
        analyst = http.login("analyst", "pw-analyst-12345");
    }

    static Instant t0() {
        return Instant.parse("2026-11-25T10:00:00Z");
    }

    @AfterAll
    void stop() {
        web.close();
        staff.close();
        evidence.close();
        policy.close();
        casebook.close();
    }

    /** Our MX (trusted), the origin hop, a relay the sender claims; the message's Received headers say the same. */
    static String trace(Instant t) {
        return "{\"origin\":{\"ip\":\"198.51.100.7\",\"rdns\":null,\"helo\":\"<script>x</script>\",\"by\":\"mx.trap.example.net\","
                + "\"time\":\"2026-11-25T10:00:00Z\"},\"trusted\":[{\"ip\":\"192.0.2.9\",\"rdns\":null,\"helo\":\"relay.isp.example\","
                + "\"by\":\"in.trap.example.net\",\"ident\":null,\"envfrom\":null,\"id\":\"Q1\",\"auth\":null,\"time\":\"2026-11-25T10:00:05Z\"}],"
                + "\"untrusted\":[{\"ip\":\"198.51.100.7\",\"rdns\":null,\"helo\":\"<script>x</script>\",\"by\":\"mx.trap.example.net\","
                + "\"ident\":null,\"envfrom\":null,\"id\":\"Q2\",\"auth\":null,\"time\":\"2026-11-25T10:00:00Z\"}]}";
    }

    static final String RECEIVED = "Received: from relay.isp.example ([192.0.2.9]) by in.trap.example.net with ESMTP id Q1;" + CRLF
            + " Wed, 25 Nov 2026 10:00:05 +0000" + CRLF
            + "Received: (qmail 4711 invoked by uid 0); Wed, 25 Nov 2026 10:00:01 +0000" + CRLF
            + "Received: from <script>x</script> ([198.51.100.7]) by mx.trap.example.net id Q2; Wed, 25 Nov 2026 10:00:00 +0000" + CRLF;

    static String html(String body) {
        return "<html><head><base href=\"http://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=http://evil.example/\">"
                + "<link rel=\"stylesheet\" href=\"http://evil.example/s.css\"><style>@import url(http://evil.example/i.css);"
                + " body{background:url(http://evil.example/bg.png)}</style></head><body onload=\"alert(2)\">" + body
                + "<p style=\"background:url('http://evil.example/p.png')\">Cheap</p><a href=\"javascript:alert(4)\">click</a>"
                + "<img src=\"http://evil.example/pixel.gif\" onerror=\"alert(3)\"><img src=\"//evil.example/x.gif\">"
                + "<svg onload=\"alert(5)\"><script>alert(6)</script><image href=\"http://evil.example/svg.png\"/></svg>"
                + "<form action=\"http://evil.example/\"><input name=x></form><iframe src=\"http://evil.example/\"></iframe>"
                + "<object data=\"http://evil.example/o\"></object><video poster=\"http://evil.example/v.png\"></video></body></html>";
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> corpus() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        String head = RECEIVED + "From: \"<img src=x onerror=alert(1)>\" <evil@spam.example>" + CRLF
                + "To: \"</td><script>alert(1)</script>\" <a@trap.example.net>" + CRLF + "MIME-Version: 1.0" + CRLF;
        m.put("script-everywhere", bytes(head + "Subject: <script>alert('subject')</script> =?utf-8?q?=3Cscript=3Ealert(7)=3C/script=3E?=" + CRLF
                + "Content-Type: multipart/mixed; boundary=b" + CRLF + CRLF
                + "--b" + CRLF + "Content-Type: text/plain" + CRLF + CRLF + "<script>alert('body')</script> javascript:alert(1) pills" + CRLF
                + "--b" + CRLF + "Content-Type: application/x-msdownload; name=\"<script>alert(1)</script>.exe\"" + CRLF
                + "Content-Disposition: attachment; filename=\"../../<img src=x onerror=alert(1)>\\r\\n.exe\"" + CRLF
                + "Content-Transfer-Encoding: base64" + CRLF + CRLF + "TVqQAAMAAAAEAAAA" + CRLF
                + "--b" + CRLF + "Content-Type: image/svg+xml; name=\"x.svg\"" + CRLF + "Content-ID: <svg1>" + CRLF + CRLF
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(8)\"><script>alert(9)</script></svg>" + CRLF + "--b--" + CRLF));
        m.put("html-attacks", bytes(head + "Subject: html pills" + CRLF + "Content-Type: multipart/related; boundary=r" + CRLF + CRLF
                + "--r" + CRLF + "Content-Type: text/html; charset=utf-8" + CRLF + CRLF
                + html("<img src=\"cid:logo@spam\" alt=\"logo\"><img src=\"cid:svg1\">") + CRLF
                + "--r" + CRLF + "Content-Type: image/png" + CRLF + "Content-ID: <logo@spam>" + CRLF
                + "Content-Transfer-Encoding: base64" + CRLF + CRLF + Base64.getEncoder().encodeToString(PNG) + CRLF
                + "--r" + CRLF + "Content-Type: image/svg+xml" + CRLF + "Content-ID: <svg1>" + CRLF + CRLF
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(10)</script></svg>" + CRLF + "--r--" + CRLF));
        m.put("unknown-charset", bytes(head + "Subject: =?x-no-such-charset?B?PHNjcmlwdD4=?=" + CRLF
                + "Content-Type: text/html; charset=x-no-such-charset" + CRLF + CRLF + html("<p>unknown charset</p>") + CRLF));
        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        invalid.write(bytes(head + "Subject: invalid \u00ff\u00fe bytes" + CRLF + "Content-Type: text/html; charset=utf-8" + CRLF + CRLF));
        invalid.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, '<', 's', 'c', 'r', 'i', 'p', 't', '>', (byte) 0xE2,
                (byte) 0x82, '<', '/', 's', 'c', 'r', 'i', 'p', 't', '>', (byte) 0xC0, (byte) 0xBC});
        invalid.write(bytes(html("invalid") + CRLF));
        m.put("invalid-utf8", invalid.toByteArray());
        ByteArrayOutputStream lying = new ByteArrayOutputStream();
        lying.write(bytes(head + "Subject: lying charset" + CRLF + "Content-Type: text/html; charset=us-ascii" + CRLF
                + "Content-Transfer-Encoding: 8bit" + CRLF + CRLF));
        lying.write("<p>\u00fcberall \u2603</p>\u00ff\u00fe".getBytes(StandardCharsets.UTF_16LE));
        lying.write(bytes(html("lying") + CRLF));
        m.put("lying-charset", lying.toByteArray());
        StringBuilder many = new StringBuilder(head + "Subject: ten thousand parts" + CRLF + "Content-Type: multipart/mixed; boundary=m" + CRLF + CRLF);
        for (int i = 0; i < 10_000; i++) {
            many.append("--m").append(CRLF).append("Content-Type: application/octet-stream; name=\"p").append(i).append("<script>.bin\"")
                    .append(CRLF).append(CRLF).append("x").append(i).append(CRLF);
        }
        many.append("--m--").append(CRLF);
        m.put("ten-thousand-parts", bytes(many.toString()));
        Path shared = Path.of(System.getProperty("trapline.repo", ".."), "..", "shared", "testdata", "messages", "spamassassin-t-data", "spam");
        if (Files.isDirectory(shared)) {
            try (Stream<Path> files = Files.list(shared)) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    m.put("sa-" + p.getFileName(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    /** Nothing in a desk page can run but the desk's own script file. */
    static void assertNothingRuns(String where, String page) {
        Document d = Jsoup.parse(page);
        for (Element script : d.select("script")) {
            assertThat(script.attr("src")).as(where + ": a script element").isEqualTo("/static/live-count.js");
            assertThat(script.data()).as(where).isEmpty();
        }
        for (Element e : d.getAllElements()) {
            for (Attribute a : e.attributes()) {
                assertThat(a.getKey().toLowerCase(Locale.ROOT)).as(where + ": attribute of <" + e.tagName() + ">").doesNotStartWith("on");
                if (a.getKey().equalsIgnoreCase("href") || a.getKey().equalsIgnoreCase("src") || a.getKey().equalsIgnoreCase("action")) {
                    assertThat(a.getValue()).as(where + ": " + a.getKey()).startsWith("/").doesNotStartWith("//");
                }
            }
        }
        assertThat(d.select("base, meta[http-equiv], object, embed, svg, iframe:not([sandbox])")).as(where).isEmpty();
    }

    @Test
    void theCorpusIsLargeEnoughToMeanSomething() {
        assertThat(hits).hasSizeGreaterThan(6);
    }

    @Test
    void everyHitPageAnswersAndNothingInItRuns() {
        for (Map.Entry<String, Long> h : hits.entrySet()) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.get("/hits/" + h.getValue(), "Cookie", analyst[0]);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).as(h.getKey()).isEqualTo(200);
            assertThat(r.body().length).as(h.getKey() + ": page size").isLessThan(2_000_000);
            assertThat(millis).as(h.getKey() + ": page time").isLessThan(5_000);
            assertNothingRuns(h.getKey(), Http.text(r));
            assertThat(Http.text(r)).as(h.getKey()).contains("id=\"origin-hop\"").contains("id=\"session-start\"");
            HttpResponse<byte[]> json = http.get("/api/v1/hits/" + h.getValue(), "Cookie", analyst[0]);
            assertThat(json.statusCode()).as(h.getKey()).isEqualTo(200);
            assertThat(Http.json(json).get("id").asLong()).isEqualTo(h.getValue());
        }
    }

    @Test
    void searchPagesOverTheCorpusAnswerAndRunNothing() {
        for (String q : List.of("", "pills", "script", "subscriber:\"eve<script>alert(1)</script>\"", "\"<script>\"", "javascript:alert(1)")) {
            HttpResponse<byte[]> r = http.get("/search?q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8), "Cookie", analyst[0]);
            assertThat(r.statusCode()).as(q).isIn(200, 400);
            assertNothingRuns("search " + q, Http.text(r));
        }
        assertThat(Jsoup.parse(Http.text(http.get("/search?q=", "Cookie", analyst[0]))).select("#hits tbody tr")).hasSize(hits.size());
    }

    @Test
    void theHtmlViewLoadsNothingRemoteAndShowsOnlyTheMessagesOwnPlainImages() {
        for (Map.Entry<String, Long> h : hits.entrySet()) {
            HttpResponse<byte[]> r = http.get("/hits/" + h.getValue() + "/html", "Cookie", analyst[0]);
            if (r.statusCode() == 404) {
                continue;
            }
            assertThat(r.statusCode()).as(h.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("default-src 'none'").contains("sandbox");
            String html = Http.text(r);
            Document d = Jsoup.parse(html);
            assertThat(d.select("script, base, meta[http-equiv], link, iframe, object, embed, form, svg, video, image")).as(h.getKey()).isEmpty();
            for (Element e : d.getAllElements()) {
                for (Attribute a : e.attributes()) {
                    assertThat(a.getKey().toLowerCase(Locale.ROOT)).as(h.getKey()).doesNotStartWith("on");
                    assertThat(a.getValue().toLowerCase(Locale.ROOT)).as(h.getKey()).doesNotContain("evil.example").doesNotContain("javascript:")
                            .doesNotContain("url(");
                }
            }
            for (Element img : d.select("img")) {
                assertThat(img.attr("src")).as(h.getKey()).startsWith("/hits/" + h.getValue() + "/cid/");
            }
            assertThat(html.toLowerCase(Locale.ROOT)).as(h.getKey()).doesNotContain("evil.example").doesNotContain("@import");
        }
        long attacks = hits.get("html-attacks");
        Document d = Jsoup.parse(Http.text(http.get("/hits/" + attacks + "/html", "Cookie", analyst[0])));
        assertThat(d.select("img").eachAttr("src")).hasSize(2).satisfiesExactly(
                logo -> assertThat(logo).startsWith("/hits/" + attacks + "/cid/logo%40spam?exp="),
                svg -> assertThat(svg).startsWith("/hits/" + attacks + "/cid/svg1?exp="));
    }

    /** The sandboxed frame's requests are cross-site and carry no session cookie: a signed link opens one image. */
    @Test
    void inlineImagesAreServedOnlyAsPlainImagesToAnImageFetchWithTheDesksSignedLink() {
        long attacks = hits.get("html-attacks");
        List<String> links = Jsoup.parse(Http.text(http.get("/hits/" + attacks + "/html", "Cookie", analyst[0]))).select("img").eachAttr("src");
        String logo = links.get(0);
        HttpResponse<byte[]> png = http.get(logo, "Sec-Fetch-Dest", "image", "Sec-Fetch-Site", "cross-site");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.body()).isEqualTo(PNG);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.headers().firstValue("Content-Security-Policy").orElse("")).isEqualTo("default-src 'none'; frame-ancestors 'self'; sandbox");
        assertThat(png.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(http.get(logo, "Sec-Fetch-Dest", "document").statusCode()).as("opened as a page").isEqualTo(403);
        assertThat(http.get(logo).statusCode()).as("not an image fetch").isEqualTo(403);
        String path = logo.substring(0, logo.indexOf('?'));
        assertThat(http.get(path, "Sec-Fetch-Dest", "image").statusCode()).as("unsigned").isEqualTo(403);
        assertThat(http.get(path, "Sec-Fetch-Dest", "image", "Cookie", analyst[0]).statusCode()).as("unsigned, even logged in").isEqualTo(403);
        assertThat(http.get(logo.replace("sig=", "sig=A"), "Sec-Fetch-Dest", "image").statusCode()).as("forged").isEqualTo(403);
        String exp = logo.replaceAll(".*exp=([0-9]+).*", "$1");
        assertThat(http.get(logo.replace("exp=" + exp, "exp=" + (Long.parseLong(exp) + 1)), "Sec-Fetch-Dest", "image").statusCode())
                .as("a later expiry than signed").isEqualTo(403);
        assertThat(http.get(logo.replace("/hits/" + attacks + "/", "/hits/" + hits.get("script-everywhere") + "/"), "Sec-Fetch-Dest", "image")
                .statusCode()).as("another hit's image with this link").isEqualTo(403);
        assertThat(http.get(links.get(1), "Sec-Fetch-Dest", "image").statusCode()).as("SVG can carry script: never served").isEqualTo(404);
    }

    @Test
    void attachmentsAreListedWithTheirHashAndDownloadedUnderASafeNameNeverShown() throws Exception {
        long hit = hits.get("script-everywhere");
        com.fasterxml.jackson.databind.JsonNode files = Http.json(http.get("/api/v1/hits/" + hit, "Cookie", analyst[0])).get("files");
        com.fasterxml.jackson.databind.JsonNode exe = files.get("attachments").get(0);
        byte[] mz = Base64.getDecoder().decode("TVqQAAMAAAAEAAAA");
        assertThat(exe.get("number").asInt()).isEqualTo(1);
        assertThat(exe.get("size").asLong()).isEqualTo(mz.length);
        assertThat(exe.get("sha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(mz)));
        String page = Http.text(http.get("/hits/" + hit, "Cookie", analyst[0]));
        assertThat(page).contains(exe.get("sha256").asText()).contains("href=\"/hits/" + hit + "/attachments/1\"");
        HttpResponse<byte[]> r = http.get("/hits/" + hit + "/attachments/1", "Cookie", analyst[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(mz);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String disposition = r.headers().firstValue("Content-Disposition").orElse("");
        assertThat(disposition).startsWith("attachment; filename=\"").matches("attachment; filename=\"[A-Za-z0-9._-]+\"");
        assertThat(disposition).doesNotContain("..").doesNotContain("<").doesNotContain("/");
        assertThat(casebook.newest(null, 10)).filteredOn(e -> e.act().equals("raw-view")).extracting(e -> e.subject() + " " + e.detail())
                .as("a downloaded attachment is a view of raw evidence, audited").contains("hit:" + hit + " attachment 1 downloaded");
        assertThat(http.get("/hits/" + hit + "/attachments/2", "Cookie", analyst[0]).statusCode()).as("the SVG is a file too").isEqualTo(200);
        assertThat(http.get("/hits/" + hit + "/attachments/9", "Cookie", analyst[0]).statusCode()).isEqualTo(404);
        assertThat(http.get("/hits/" + hit + "/attachments/x", "Cookie", analyst[0]).statusCode()).isEqualTo(400);
        String[] viewer = http.login("viewer", "pw-viewer-123456");
        assertThat(http.get("/hits/" + hit + "/attachments/1", "Cookie", viewer[0]).statusCode()).isEqualTo(403);
        assertThat(Http.text(http.get("/hits/" + hit, "Cookie", viewer[0]))).doesNotContain("/attachments/1\"");
    }

    @Test
    void aTenThousandPartMessageListsABoundedNumberAndSaysHowManyAreLeftOut() {
        long hit = hits.get("ten-thousand-parts");
        Document d = Jsoup.parse(Http.text(http.get("/hits/" + hit, "Cookie", analyst[0])));
        assertThat(d.select("table.attachments tbody tr")).hasSize(200);
        assertThat(d.select("#attachments-omitted").text()).matches("\\d+ more attachments not listed\\.");
        assertThat(d.select("#parts-capped")).hasSize(1);
    }

    @Test
    void theTimelineShowsEveryReceivedHeaderTheBoundaryTheOriginAndTheGaps() {
        long hit = hits.get("html-attacks");
        Document d = Jsoup.parse(Http.text(http.get("/hits/" + hit, "Cookie", analyst[0])));
        List<String> kinds = new ArrayList<>();
        for (Element li : d.select("#timeline > li")) {
            kinds.add(li.className());
        }
        assertThat(kinds).as("the boundary right above the origin hop; the origin hop once")
                .containsExactly("trusted", "not-a-relay", "boundary", "origin");
        assertThat(d.select("#timeline li.trusted .gap").text()).isEqualTo("+4 s after the hop below");
        assertThat(d.select("#timeline li.not-a-relay .gap").text()).isEqualTo("+1 s after the hop below");
        assertThat(d.select("#timeline li.not-a-relay .time").text()).isEqualTo("Wed, 25 Nov 2026 10:00:01 +0000");
        assertThat(d.select("#origin-hop").text()).contains("198.51.100.7").contains("<script>x</script>").contains("mx.trap.example.net");
        assertThat(d.select("#session-start").text()).isEqualTo("2026-11-25T09:00:00Z");
        assertThat(d.select("#session-stop").text()).startsWith("still open");
        assertThat(d.select("#raw-sha256").text()).hasSize(64);
    }
}
