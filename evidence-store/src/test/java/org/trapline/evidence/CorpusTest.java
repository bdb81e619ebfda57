package org.trapline.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trapline.evidence.mime.MessageReader;
import org.trapline.evidence.search.SearchHit;
import org.trapline.evidence.search.SearchResult;

/**
 * Every real message under testdata/messages goes into the store through the library and is found
 * again by a phrase from its own body, by its origin IP and by its subscriber.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class CorpusTest {
    private static final Pattern WORDS = Pattern.compile("(?<![\\w'.@/-])([A-Za-z]{4,}) ([A-Za-z]{4,}) ([A-Za-z]{4,})(?![\\w'@/-])");
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    static Path data;
    EvidenceStore store;
    final Map<Path, Long> ids = new LinkedHashMap<>();

    static Stream<Path> messages() throws IOException {
        Path root = Path.of(System.getProperty("trapline.repo", ".."), "..", "shared", "testdata", "messages");
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> list = files.filter(Files::isRegularFile).sorted().toList();
            assertThat(list).hasSizeGreaterThan(100);
            return list.stream();
        }
    }

    static int indexOf(Path p) throws IOException {
        return messages().toList().indexOf(p);
    }

    static String originIp(int i) {
        return i % 3 == 0 ? "2001:db8:" + Integer.toHexString(i) + "::25" : "198.51." + (i % 7) + "." + (i + 1);
    }

    @BeforeAll
    void recordAll() throws IOException {
        store = EvidenceStore.open(data, Clock.fixed(T0, ZoneOffset.UTC));
        List<Path> all = messages().toList();
        for (int i = 0; i < all.size(); i++) {
            TrapHit hit = TrapHit.of("corpus-" + i, T0.plusSeconds(60L * i), "bounce@example.org", List.of("t" + i + "@trap.example.net"))
                    .withOrigin(originIp(i), T0.plusSeconds(60L * i - 2), "helo" + i)
                    .withAttribution("MATCHED", "subscriber-" + (i % 10), "sess-" + i, "10.1.1.1");
            RecordResult r = store.record(hit, Files.readAllBytes(all.get(i)));
            assertThat(r.isNew()).isTrue();
            ids.put(all.get(i), r.hitId());
        }
        store.refreshIndex();
        assertThat(store.count()).isEqualTo(all.size());
    }

    @AfterAll
    void close() {
        store.close();
    }

    /** Three plain words from the message's own body as written (not through our decoder when it can be avoided). */
    public static String phraseOf(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int body = text.indexOf("\n\n");
        int bodyCrLf = text.indexOf("\r\n\r\n");
        int start = body < 0 ? bodyCrLf : bodyCrLf < 0 ? body : Math.min(body, bodyCrLf);
        List<String> candidates = new ArrayList<>();
        if (start >= 0) {
            boolean inFilePart = false;
            for (String line : text.substring(start).split("\r?\n")) {
                // Words inside attachments (an RTF file, say) are not body text the index promises to find.
                if (line.startsWith("--")) {
                    inFilePart = false;
                } else if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                    String type = line.substring(13).trim().toLowerCase(java.util.Locale.ROOT);
                    inFilePart = !(type.startsWith("text/") || type.startsWith("multipart/") || type.startsWith("message/"));
                }
                if (inFilePart || line.contains("=") || line.contains("<") || line.contains(">") || line.contains("&") || line.startsWith("--")) {
                    continue;
                }
                Matcher m = WORDS.matcher(line);
                if (m.find()) {
                    candidates.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
                }
            }
        }
        if (candidates.isEmpty()) {
            // Encoded bodies (base64): take the phrase from the decoded text instead.
            Matcher m = WORDS.matcher(new MessageReader().read(raw).bodyText());
            if (m.find()) {
                candidates.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
            }
        }
        return candidates.isEmpty() ? null : candidates.get(candidates.size() / 2);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void foundAgainByPhraseOriginIpAndSubscriber(Path message) throws IOException {
        long id = ids.get(message);
        int i = indexOf(message);
        byte[] raw = Files.readAllBytes(message);
        assertThat(store.raw(id)).hasValue(raw);

        String phrase = phraseOf(raw);
        if (phrase != null) {
            SearchResult byPhrase = store.search("\"" + phrase + "\"", 500, 0);
            assertThat(byPhrase.hits()).as("phrase \"%s\"", phrase).extracting(SearchHit::id).contains(id);
        } else {
            // Nothing wordy in it (pure markup or binary): it must still be findable by its subject or metadata.
            assertThat(store.search("trap:t" + i + "@trap.example.net", 5, 0).hits()).extracting(SearchHit::id).containsExactly(id);
        }

        SearchResult byIp = store.search("ip:" + originIp(i), 10, 0);
        assertThat(byIp.hits()).extracting(SearchHit::id).containsExactly(id);
        assertThat(byIp.hits().get(0).originIp()).isEqualTo(
                java.net.InetAddress.getByName(originIp(i)).getHostAddress());

        String cidr = originIp(i).contains(":") ? "2001:db8::/32" : "198.51." + (i % 7) + ".0/24";
        assertThat(store.search("ip:" + cidr, 500, 0).hits()).extracting(SearchHit::id).contains(id);

        SearchResult bySubscriber = store.search("subscriber:subscriber-" + (i % 10), 500, 0);
        assertThat(bySubscriber.hits()).extracting(SearchHit::id).contains(id);
        assertThat(bySubscriber.hits()).allSatisfy(h -> assertThat(h.subscriber()).isEqualTo("subscriber-" + (i % 10)));
    }
}
