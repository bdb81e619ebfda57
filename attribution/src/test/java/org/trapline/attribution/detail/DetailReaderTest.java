package org.trapline.attribution.detail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.AccountingStatus;

/**
 * The reader takes plain ASCII lines apart as bytes and other lines as text; these cases make sure
 * both give what FreeRADIUS wrote, whatever the line endings, the characters or where the reads end.
 */
class DetailReaderTest {
    private static final String RECORD = """
            Sun Nov 23 12:13:20 2025
            \tAcct-Status-Type = Start
            \tUser-Name = "alice@isp.example"
            \tAcct-Session-Id = "sess-1"
            \tNAS-IP-Address = 192.0.2.1
            \tFramed-IP-Address = 100.64.1.23
            \tEvent-Timestamp = "Nov 23 2025 12:13:20 CET"
            \tAcct-Session-Time = "600"
            \tCisco-AVPair = "subscriber:sa=internet"
            \tTimestamp = 1763896400
            """;

    private final List<AccountingEvent> events = new ArrayList<>();
    private final List<DetailProblem> problems = new ArrayList<>();

    private DetailReader.Position read(String text, boolean complete, int readSize) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
        return new DetailReader("detail", ZoneId.of("Europe/Berlin")).read(in, DetailReader.Position.START, complete,
                new DetailReader.Sink() {
                    @Override
                    public void record(AccountingEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void problem(DetailProblem problem) {
                        problems.add(problem);
                    }
                });
    }

    @Test
    void readsTheRecordWhereverTheReadsEnd() throws IOException {
        for (int readSize : new int[] {1, 7, 100, 1 << 16}) {
            events.clear();
            DetailReader.Position end = read(RECORD + "\n" + RECORD + "\n", false, readSize);
            assertThat(problems).isEmpty();
            assertThat(events).hasSize(2).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(AccountingStatus.START);
                assertThat(e.userName()).isEqualTo("alice@isp.example");
                assertThat(e.eventTime()).isEqualTo(Instant.parse("2025-11-23T11:13:20Z"));
                assertThat(e.receivedAt()).isEqualTo(Instant.ofEpochSecond(1763896400));
                assertThat(e.sessionTime()).isEqualTo(600);
                assertThat(e.vendorAttributes()).isEqualTo("Cisco-AVPair = \"subscriber:sa=internet\"");
            });
            assertThat(end).isEqualTo(new DetailReader.Position(2L * (RECORD.length() + 1), 23));
        }
    }

    @Test
    void windowsLineEndingsAndStrayWhitespaceChangeNothing() throws IOException {
        read(RECORD + "\n", true, 1 << 16);
        read(RECORD.replace("\n", "\r\n").replace("Name = ", "Name =  ").replace("\t", " \t ") + "\r\n", true, 1 << 16);
        assertThat(problems).isEmpty();
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isEqualTo(events.get(0));
    }

    @Test
    void nonAsciiValuesAndUnicodeSpacesAreReadAsText() throws IOException {
        String text = RECORD.replace("alice@isp.example", "jörg@isp.example")
                .replace("\tAcct-Session-Id = \"sess-1\"", "\u3000Acct-Session-Id = \"sess-\\303\\251\"\u3000");
        read(text, true, 1 << 16);
        assertThat(problems).isEmpty();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.userName()).isEqualTo("jörg@isp.example");
            assertThat(e.acctSessionId()).isEqualTo("sess-é");
        });
    }

    @Test
    void unusualEventTimestampsAreStillRead() throws IOException {
        read(RECORD.replace("\"Nov 23 2025 12:13:20 CET\"", "\"Nov 23 2025 12:13:20 +0100\"") + "\n"
                + RECORD.replace("\"Nov 23 2025 12:13:20 CET\"", "1763896400") + "\n"
                + RECORD.replace("\"Nov 23 2025 12:13:20 CET\"", "\"Nov  23  2025  12:13:20  cet\""), true, 1 << 16);
        assertThat(problems).isEmpty();
        assertThat(events).extracting(AccountingEvent::eventTime).containsOnly(Instant.parse("2025-11-23T11:13:20Z"));
    }

    @Test
    void badValuesSpoilOnlyTheirRecordAndAreReportedAtTheirLine() throws IOException {
        String text = RECORD.replace("Acct-Session-Time = \"600\"", "Acct-Session-Time = \"6O0\"") + "\n"
                + RECORD.replace("Timestamp = 1763896400", "Timestamp = 999999999999999999") + "\n"
                + RECORD.replace("\"subscriber:sa=internet\"", "\"subscriber:sa=internet") + "\n"
                + RECORD.replace("Event-Timestamp = \"Nov 23 2025 12:13:20 CET\"", "Event-Timestamp = \"Nov 23 2025 25:13:20 CET\"")
                + "\n" + RECORD;
        read(text, true, 1 << 16);
        assertThat(events).hasSize(1);
        assertThat(problems).extracting(DetailProblem::line).containsExactly(8L, 21L, 31L, 40L);
        assertThat(problems.get(0).message()).isEqualTo("Acct-Session-Time: not a number: '\"6O0\"'");
        // A time beyond what Java can hold is a bad record too, not the end of the import.
        assertThat(problems.get(1).message()).startsWith("Timestamp: ");
        assertThat(problems.get(2).message()).startsWith("Cisco-AVPair: unterminated string");
        assertThat(problems.get(3).message()).contains("Event-Timestamp");
    }

    @Test
    void aLastRecordWithoutBlankLineIsReadOnlyWhenTheFileIsComplete() throws IOException {
        String text = RECORD + "\n" + RECORD.strip();
        DetailReader.Position partial = read(text, false, 1 << 16);
        assertThat(events).hasSize(1);
        assertThat(partial).isEqualTo(new DetailReader.Position(RECORD.length() + 1, 12));
        events.clear();
        DetailReader.Position whole = read(text, true, 1 << 16);
        assertThat(events).hasSize(2);
        assertThat(whole).isEqualTo(new DetailReader.Position(text.length(), 22));
    }

    @Test
    void commentsAreSkippedAndLinesWithoutAttributesReported() throws IOException {
        read(RECORD.replace("\tUser-Name", "\t# a comment\n\tUser-Name") + "\n"
                + RECORD.replace("\tUser-Name = \"alice@isp.example\"", "\tjust text"), true, 1 << 16);
        assertThat(events).hasSize(1);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(15);
            assertThat(p.message()).isEqualTo("expected 'Attribute = value', got 'just text'");
        });
    }

    /** The eight-bytes-at-a-time scans agree with looking at each byte, wherever the bytes of interest lie. */
    @Test
    void wordScansFindWhatAByteScanFinds() {
        java.util.Random random = new java.util.Random(8);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                int kind = random.nextInt(10);
                bytes[i] = (byte) (kind == 0 ? '\n' : kind == 1 ? 0x80 + random.nextInt(128) : kind == 2 ? 0x0b : ' ' + random.nextInt(95));
            }
            int from = random.nextInt(bytes.length + 1), to = from + random.nextInt(bytes.length - from + 1);
            int newline = -1;
            boolean nonAscii = false;
            for (int i = from; i < to; i++) {
                if (newline < 0 && bytes[i] == '\n') {
                    newline = i;
                }
                nonAscii |= bytes[i] < 0;
            }
            assertThat(DetailReader.indexOfNewline(bytes, from, to)).isEqualTo(newline);
            assertThat(DetailReader.hasNonAscii(bytes, from, to)).isEqualTo(nonAscii);
        }
    }
}
