package org.trapline.evidence.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The scanner finds exactly the links the regular expression it replaced found. */
class UrlScannerTest {
    /** The specification: the pattern the indexer used before the scanner. */
    private static final Pattern SPEC = Pattern.compile(
            "((?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^\\s<>\"'`{}|\\\\^\\[\\]]+"
            + "|[Ww][Ww][Ww]\\.[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+[^\\s<>\"'`{}|\\\\^\\[\\]]*)");

    private static List<String> bySpec(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = SPEC.matcher(text);
        while (m.find()) {
            found.add(m.start() + ":" + m.group(1));
        }
        return found;
    }

    private static List<String> byScanner(String text) {
        List<String> found = new ArrayList<>();
        for (int start = UrlScanner.find(text, 0); start >= 0; ) {
            int end = UrlScanner.linkAt(text, start);
            found.add(start + ":" + text.substring(start, end));
            start = UrlScanner.find(text, end);
        }
        return found;
    }

    @Test
    void findsTheSameLinksAsTheSpecificationInHandPickedCases() {
        for (String text : List.of(
                "see http://a.example/x?y=1 and HTTPS://B.example/ and ftp://f.example",
                "www.example.com/path www.x www.x. www.x.y Www.A-b.c9/q?x=<y> wWw..a.b",
                "http:// https://x httpS://x https:x hhttp://x xhttp://y http:/x ftp:// ftps://x",
                "<a href=\"http://q.example/a b\">http://q.example/{x}|y^z[1]</a>`http://r.example`",
                "trailing http://t.example/. www.t.example,",
                "unicode http://b\u00fccher.example/\u00e9 www.\u00e9.example www.a.\u00e9",
                "http://x\u000Bvt http://y\ff www.a.b\tc", "", "h", "www.", "http:/", "https://")) {
            assertThat(byScanner(text)).as(text).isEqualTo(bySpec(text));
        }
    }

    @Test
    void findsTheSameLinksAsTheSpecificationInRandomText() {
        String[] pieces = {"http", "HTTP", "https", "s", "ftp", "www", "WwW", ".", "..", "://", ":/", "/", "a", "Z9", "-",
            " ", "\t", "\n", "<", ">", "\"", "'", "`", "{", "|", "\\", "^", "[", "]", "\u00e9", "x.y", "?q=1", "#"};
        Random random = new Random(20261125);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int parts = random.nextInt(30);
            for (int p = 0; p < parts; p++) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = b.toString();
            assertThat(byScanner(text)).as(text).isEqualTo(bySpec(text));
        }
    }

    @Test
    void findsTheSameLinksAsTheSpecificationInTheSpamCorpus() throws IOException {
        Path root = Path.of(System.getProperty("trapline.repo", ".."), "..", "shared", "testdata", "messages");
        int files = 0;
        int links = 0;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                List<String> expected = bySpec(text);
                assertThat(byScanner(text)).as(p.toString()).isEqualTo(expected);
                files++;
                links += expected.size();
            }
        }
        assertThat(files).isGreaterThan(50);
        assertThat(links).as("the corpus has links to find").isGreaterThan(100);
    }
}
