package org.trapline.server.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * {@link DataTransfer} cuts DATA into runs of lines and keeps the same bytes, and finds the same end, as
 * the rules read one line at a time (the specification below, {@link LineByLine}), however the bytes
 * arrive.
 */
class DataTransferTest {
    /** What a transfer made of the bytes: the message, where the data ended (-1: not yet), too big. */
    record Outcome(String message, int endedAfter, boolean tooBig) {
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "true  | a\\r\\n.\\r\\nQUIT\\r\\n         | a\\r\\n          | 6",
        "true  | ..x\\r\\n.\\r\\n                 | .x\\r\\n         | 8",
        "true  | a\\n.\\nb\\r\\n.\\r\\n            | a\\n.\\nb\\r\\n     | 10",
        "true  | .\\r\\n                          |                  | 3",
        "true  | a\\r\\n.\\rb\\r\\n.\\n\\r\\n.\\r\\n   | a\\r\\n.\\rb\\r\\n.\\n\\r\\n | 15",
        "false | a\\n.\\nQUIT\\n                  | a\\n             | 4",
        "false | a\\r\\n.\\r\\n                    | a\\r\\n          | 6",
        "false | ..b\\n.c\\n.\\n                  | .b\\nc\\n         | 9",
    })
    void examples(boolean crlf, String sent, String kept, int endedAfter) throws IOException {
        Outcome o = chunked(crlf, 0, 64 * 1024, unescape(sent), new int[] {Integer.MAX_VALUE});
        assertThat(o.message()).isEqualTo(kept == null ? "" : unescape(kept));
        assertThat(o.endedAfter()).isEqualTo(endedAfter);
    }

    @Test
    void aMessageOfManyLinesTakesAFrameForItsLinesAndOneForItsEnd() {
        DataTransfer t = new DataTransfer(true, 0);
        ByteBuf in = Unpooled.copiedBuffer("a\r\n".repeat(500) + ".\r\nQUIT\r\n", StandardCharsets.US_ASCII);
        assertThat(t.nextFrame(in, 64 * 1024)).isEqualTo(1500);
    }

    @Test
    void agreesWithTheLineByLineRulesOnRandomTransfersArrivingInRandomPieces() throws IOException {
        Random random = new Random(20261202);
        byte[] alphabet = {'a', 'b', '.', '.', '\r', '\n', '\n'};
        for (int round = 0; round < 30_000; round++) {
            boolean crlf = random.nextBoolean();
            int limit = random.nextInt(4) == 0 ? 64 * 1024 : 3 + random.nextInt(12);
            long max = random.nextInt(3) == 0 ? random.nextInt(60) : 0;
            byte[] data = new byte[random.nextInt(120)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (random.nextBoolean()) {
                data = concat(data, (crlf || random.nextBoolean() ? "\r\n.\r\nQUIT\r\n" : "\n.\nQUIT\n").getBytes(StandardCharsets.US_ASCII));
            }
            int[] arrivals = new int[1 + random.nextInt(6)];
            for (int i = 0; i < arrivals.length; i++) {
                arrivals[i] = 1 + random.nextInt(40);
            }
            String input = Arrays.toString(data) + " crlf=" + crlf + " limit=" + limit + " max=" + max;
            Outcome expected = LineByLine.run(crlf, max, limit, data);
            Outcome got = chunked(crlf, max, limit, new String(data, StandardCharsets.ISO_8859_1), arrivals);
            if (expected.tooBig()) {
                // The bytes of a message over the limit are dropped, whatever part of it was written.
                assertThat(List.of(got.endedAfter(), got.tooBig())).as(input).isEqualTo(List.of(expected.endedAfter(), true));
            } else {
                assertThat(got).as(input).isEqualTo(expected);
            }
        }
    }

    /** Feeds the bytes in pieces of the given sizes (the last size repeats), framed as SmtpFramer does. */
    static Outcome chunked(boolean crlf, long max, int limit, String sent, int[] arrivals) throws IOException {
        byte[] data = sent.getBytes(StandardCharsets.ISO_8859_1);
        DataTransfer t = new DataTransfer(crlf, max);
        ByteBuf in = Unpooled.buffer();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int fed = 0;
        for (int i = 0; fed < data.length; i++) {
            int n = Math.min(arrivals[Math.min(i, arrivals.length - 1)], data.length - fed);
            in.writeBytes(data, fed, n);
            fed += n;
            for (int length; (length = t.nextFrame(in, limit)) > 0; ) {
                byte[] frame = new byte[length];
                in.readBytes(frame);
                if (t.accept(frame, message) == DataTransfer.END) {
                    return new Outcome(message.toString(StandardCharsets.ISO_8859_1), fed - in.readableBytes(), t.tooBig());
                }
            }
        }
        return new Outcome(message.toString(StandardCharsets.ISO_8859_1), -1, t.tooBig());
    }

    /**
     * The specification: one frame per line (a line longer than the limit in pieces of it), each read with
     * the rules of the class comment; the message bytes of a frame are written unless the message is
     * over the limit already.
     */
    static final class LineByLine {
        static Outcome run(boolean crlfLines, long maxBytes, int limit, byte[] data) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            boolean previousEndedLine = true;
            byte lastByte = 0;
            long messageBytes = 0;
            boolean tooBig = false;
            int pos = 0;
            while (pos < data.length) {
                int lf = -1;
                for (int i = pos; i < Math.min(data.length, pos + limit); i++) {
                    if (data[i] == '\n') {
                        lf = i;
                        break;
                    }
                }
                int n;
                if (lf >= 0) {
                    n = lf - pos + 1;
                } else if (data.length - pos >= limit) {
                    n = limit;
                } else {
                    break;
                }
                byte[] frame = Arrays.copyOfRange(data, pos, pos + n);
                pos += n;
                boolean lineStart = previousEndedLine;
                boolean endsLf = frame[n - 1] == '\n';
                boolean endsCrlf = endsLf && (n > 1 ? frame[n - 2] == '\r' : lastByte == '\r');
                previousEndedLine = crlfLines ? endsCrlf : endsLf;
                lastByte = frame[n - 1];
                boolean end = n == 3 ? frame[0] == '.' && frame[1] == '\r' && frame[2] == '\n'
                        : !crlfLines && n == 2 && frame[0] == '.' && frame[1] == '\n';
                if (lineStart && end) {
                    return new Outcome(message.toString(StandardCharsets.ISO_8859_1), pos, tooBig);
                }
                int from = lineStart && n > 1 && frame[0] == '.' && frame[1] != '\r' && frame[1] != '\n' ? 1 : 0;
                messageBytes += n - from;
                tooBig |= maxBytes > 0 && messageBytes > maxBytes;
                if (!tooBig) {
                    message.write(frame, from, n - from);
                }
            }
            return new Outcome(message.toString(StandardCharsets.ISO_8859_1), -1, tooBig);
        }
    }

    @Test
    void aFailedWriteIsReportedOnceAndTheEndIsStillFound() {
        DataTransfer t = new DataTransfer(true, 0);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.accept("a\r\n".getBytes(StandardCharsets.US_ASCII), broken))
                .isInstanceOf(IOException.class);
        assertThat(t.writeFailed()).isTrue();
        ByteBuf in = Unpooled.copiedBuffer("b\r\n.\r\n", StandardCharsets.US_ASCII);
        byte[] lines = new byte[t.nextFrame(in, 64 * 1024)];
        in.readBytes(lines);
        try {
            assertThat(t.accept(lines, broken)).isEqualTo(DataTransfer.MORE);
            byte[] end = new byte[t.nextFrame(in, 64 * 1024)];
            in.readBytes(end);
            assertThat(t.accept(end, broken)).isEqualTo(DataTransfer.END);
        } catch (IOException e) {
            throw new AssertionError("a failed transfer writes nothing more", e);
        }
    }

    private static String unescape(String s) {
        return s.strip().replace("\\r", "\r").replace("\\n", "\n");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
