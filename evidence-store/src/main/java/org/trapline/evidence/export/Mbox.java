package org.trapline.evidence.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes messages in mboxrd form: a {@code From } separator line per message, and every body line
 * that starts with any number of {@code >} followed by {@code From } quoted with one more {@code >},
 * so mail readers split the file exactly where messages begin and the quoting can be undone.
 */
public final class Mbox {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Mbox() {
    }

    public static void write(OutputStream out, String envelopeSender, Instant received, byte[] raw) throws IOException {
        String sender = envelopeSender == null || envelopeSender.isBlank() || envelopeSender.matches(".*\\s.*")
                ? "MAILER-DAEMON" : envelopeSender;
        out.write(("From " + sender + " " + ASCTIME.format(received) + "\n").getBytes(StandardCharsets.US_ASCII));
        int lineStart = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '\n') {
                int end = i == raw.length ? i : i + 1;
                if (lineStart < end) {
                    if (needsQuote(raw, lineStart, end)) {
                        out.write('>');
                    }
                    out.write(raw, lineStart, end - lineStart);
                }
                lineStart = end;
            }
        }
        if (raw.length == 0 || raw[raw.length - 1] != '\n') {
            out.write('\n');
        }
        out.write('\n');
    }

    private static boolean needsQuote(byte[] raw, int start, int end) {
        int i = start;
        while (i < end && raw[i] == '>') {
            i++;
        }
        return end - i >= 5 && raw[i] == 'F' && raw[i + 1] == 'r' && raw[i + 2] == 'o' && raw[i + 3] == 'm' && raw[i + 4] == ' ';
    }
}
