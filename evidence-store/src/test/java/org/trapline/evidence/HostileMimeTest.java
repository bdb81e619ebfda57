package org.trapline.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.mime.MessageContent;
import org.trapline.evidence.mime.MessageReader;
import org.trapline.evidence.search.SearchHit;

/**
 * Spam written to break parsers is stored byte for byte and indexed as far as it can be decoded.
 */
class HostileMimeTest {
    static final Instant T0 = Instant.parse("2026-11-20T03:12:00Z");

    @TempDir
    Path data;
    EvidenceStore store;
    int n;

    @BeforeEach
    void open() {
        store = EvidenceStore.open(data, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Records the message and checks it is kept byte for byte; returns its hit id. */
    long keep(byte[] raw) {
        TrapHit hit = TrapHit.of("hostile-" + (++n), T0.plusSeconds(n), "x@example.com", List.of("trap@trap.example.net"))
                .withOrigin("203.0.113." + n, T0, "h").withAttribution("MATCHED", "mallory", "s" + n, "10.0.0.1");
        RecordResult r = store.record(hit, raw);
        assertThat(store.raw(r.hitId())).hasValue(raw);
        store.refreshIndex();
        return r.hitId();
    }

    List<Long> find(String query) {
        return store.search(query, 50, 0).hits().stream().map(SearchHit::id).toList();
    }

    static byte[] bytes(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void unknownCharsetIsReadWithoutLosingWords() {
        long id = keep(bytes("Subject: =?x-klingon?Q?Qapla=27_offer?=\nContent-Type: text/plain; charset=\"x-no-such-charset\"\n\n"
                + "Genuine rolex replicas shipped worldwide \u00e9t\u00e9\n"));
        assertThat(find("\"rolex replicas shipped\"")).containsExactly(id);
        assertThat(store.find(id).orElseThrow().subject()).contains("Qapla");
    }

    @Test
    void lyingCharsetStillIndexesTheAsciiWords() {
        long id = keep(bytes("Subject: lie\nContent-Type: text/plain; charset=utf-16\n\nplain ascii words inside\n"));
        // Decoded as UTF-16 the words vanish; the message is still stored and found by its metadata.
        assertThat(find("ip:203.0.113.1")).containsExactly(id);
        assertThat(find("subject:lie")).containsExactly(id);
    }

    @Test
    void hundredDeepNestedMultipartsAreWalkedToTheBottom() {
        StringBuilder sb = new StringBuilder("Subject: nesting\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        int depth = 100;
        for (int i = 0; i < depth; i++) {
            sb.append("--b").append(i).append("\nContent-Type: multipart/mixed; boundary=\"b").append(i + 1).append("\"\n\n");
        }
        sb.append("--b").append(depth).append("\nContent-Type: text/plain\n\ninnermost marmalade pancake\n--b").append(depth).append("--\n");
        for (int i = depth - 1; i >= 0; i--) {
            sb.append("--b").append(i).append("--\n");
        }
        long id = keep(bytes(sb.toString()));
        assertThat(find("\"innermost marmalade pancake\"")).containsExactly(id);
    }

    @Test
    void thousandDeepNestingIsCappedNotACrash() {
        StringBuilder sb = new StringBuilder("Subject: deeper\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for (int i = 0; i < 1000; i++) {
            sb.append("--b").append(i).append("\nContent-Type: multipart/mixed; boundary=\"b").append(i + 1).append("\"\n\n");
        }
        sb.append("--b1000\nContent-Type: text/plain\n\nbottom\n");
        long id = keep(bytes(sb.toString()));
        assertThat(find("subject:deeper")).containsExactly(id);
        assertThat(new MessageReader().read(bytes(sb.toString())).problems()).anyMatch(p -> p.contains("nesting deeper"));
    }

    @Test
    void fiftyMegabyteAttachmentIsStoredAndTheTextBesideItIndexed() {
        byte[] payload = new byte[50 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(70 * 1024 * 1024);
        out.writeBytes(bytes("Subject: big invoice\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"XX\"\n\n"
                + "--XX\nContent-Type: text/plain\n\nplease open the zipped invoice\n"
                + "--XX\nContent-Type: application/zip; name=\"invoice.zip\"\nContent-Disposition: attachment; filename=\"invoice.zip\"\n"
                + "Content-Transfer-Encoding: base64\n\n"));
        out.writeBytes(Base64.getMimeEncoder().encode(payload));
        out.writeBytes(bytes("\n--XX--\n"));
        long id = keep(out.toByteArray());
        assertThat(find("\"zipped invoice\" has:attachment attachment:invoice.zip")).containsExactly(id);
        assertThat(store.find(id).orElseThrow().size()).isGreaterThan(50L * 1024 * 1024);
    }

    @Test
    void hugeTextPartIsCappedNotSwallowedWhole() {
        String line = "lorem ipsum dolor sit amet\n";
        String body = "headline sentinel words\n" + line.repeat(400_000); // ~10 MB of text
        byte[] raw = bytes("Subject: long\nContent-Type: text/plain\n\n" + body);
        MessageContent content = new MessageReader().read(raw);
        assertThat(content.bodyText().length()).isLessThanOrEqualTo(MessageReader.Limits.defaults().textPerMessage());
        long id = keep(raw);
        assertThat(find("\"headline sentinel words\"")).containsExactly(id);
    }

    @Test
    void brokenBase64IsDecodedLeniently() {
        String good = Base64.getMimeEncoder().encodeToString(
                "Congratulations winner claim your lottery prize today".getBytes(StandardCharsets.US_ASCII));
        String broken = good.substring(0, 20) + "!!%%\u00ff" + good.substring(20) + "=garbage*";
        long id = keep(bytes("Subject: b64\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + broken + "\n"));
        assertThat(find("\"lottery prize\"")).containsExactly(id);
    }

    @Test
    void nulLadenBodyIsKeptAndItsWordsFound() {
        byte[] raw = bytes("Subject: nul\u0000bytes\nContent-Type: text/plain\n\nbefore\u0000\u0000\u0000the nulls "
                + "\u0000".repeat(5000) + " cheap viagra after\u0000\n");
        long id = keep(raw);
        assertThat(find("\"cheap viagra\"")).containsExactly(id);
        assertThat(find("before")).containsExactly(id);
        assertThat(store.search("id", 5, 0).hits()).isEmpty();
        assertThat(store.search("subject:nul", 5, 0).hits().get(0).subject()).doesNotContain("\u0000");
    }

    @Test
    void binaryGarbageWithoutHeadersIsStillAHit() {
        byte[] raw = new byte[64 * 1024];
        new Random(7).nextBytes(raw);
        long id = keep(raw);
        assertThat(find("subscriber:mallory")).containsExactly(id);
    }

    @Test
    void quotedPrintableLatin1AndHtmlAreReadAsTheReaderSeesThem() {
        long id = keep(bytes("Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_M=FCnchen?=\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/alternative; boundary=\"a\"\n\n--a\nContent-Type: text/plain; charset=ISO-8859-1\n"
                + "Content-Transfer-Encoding: quoted-printable\n\nHerr M=FCller, Ihr Konto wurde gesperr=\nt.\n"
                + "--a\nContent-Type: text/html; charset=utf-8\n\n<html><head><style>.x{color:red}</style>"
                + "<script>var hiddenscriptword=1;</script></head><body><p>Click&nbsp;<a href=\"http://login.phish.example.com/x?id=1\">"
                + "here</a> to verify &amp; restore</p><img src='https://cdn.tracker.example.org/p.gif'></body></html>\n--a--\n"));
        assertThat(find("müller gesperrt")).containsExactly(id);
        assertThat(find("subject:münchen")).containsExactly(id);
        assertThat(find("\"verify & restore\"")).containsExactly(id);
        assertThat(find("hiddenscriptword")).isEmpty();
        assertThat(find("domain:phish.example.com")).containsExactly(id);
        assertThat(find("domain:example.com")).containsExactly(id);
        assertThat(find("domain:tracker.example.org")).containsExactly(id);
        assertThat(find("url:login.phish.example.com")).containsExactly(id);
        assertThat(find("has:url")).containsExactly(id);
    }

    @Test
    void giantHeaderAndBrokenAddressesDoNotStopIndexing() {
        StringBuilder sb = new StringBuilder("Subject: headers\nFrom: \"unbalanced <evil@spam.example>, ,,@@ <\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("X-Filler-").append(i).append(": ").append("y".repeat(50)).append('\n');
        }
        sb.append("To: =?utf-8?B?!!!notbase64?= <victim@trap.example.net>\nReply-To: <collect@drop.example>\n\nbody words here\n");
        long id = keep(bytes(sb.toString()));
        assertThat(find("from:evil@spam.example")).containsExactly(id);
        assertThat(find("reply-to:collect@drop.example")).containsExactly(id);
        assertThat(find("\"body words here\"")).containsExactly(id);
    }
}
