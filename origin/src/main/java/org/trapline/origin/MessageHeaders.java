package org.trapline.origin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header section of a raw message, unfolded, for tracing. Tolerant and bounded: reads at most
 * {@link #MAX_HEADER_BYTES} bytes (the rest of an endless header section is not read), keeps at most
 * {@link #MAX_HEADERS} fields of at most {@link #MAX_VALUE_CHARS} characters each, decodes invalid
 * UTF-8 as U+FFFD, keeps NULs (the parser treats them as spaces), skips an mbox "From " line, and
 * counts lines that are not fields instead of failing on them.
 */
public final class MessageHeaders implements HeaderSource {

    /** Most header bytes read. */
    public static final int MAX_HEADER_BYTES = 4 * 1024 * 1024;
    /** Most header fields kept. */
    public static final int MAX_HEADERS = 20_000;
    /** Longest value kept per field (longer ones are cut). */
    public static final int MAX_VALUE_CHARS = 128 * 1024;

    /** One header field: name as written, unfolded value. */
    public record Field(String name, String value) {
    }

    private final List<Field> fields;
    private final int malformedLines;
    private final boolean truncated;

    private MessageHeaders(List<Field> fields, int malformedLines, boolean truncated) {
        this.fields = List.copyOf(fields);
        this.malformedLines = malformedLines;
        this.truncated = truncated;
    }

    /** Wraps fields already split (e.g. by a mail library). */
    public static MessageHeaders of(List<Field> fields) {
        return new MessageHeaders(fields, 0, false);
    }

    /**
     * Reads the header section of a message from a stream. Reads in blocks, so a little of the body
     * may be consumed; the stream is not closed.
     */
    public static MessageHeaders read(InputStream in) throws IOException {
        byte[] buf = new byte[16 * 1024];
        int len = 0;
        int n;
        while (len < MAX_HEADER_BYTES) {
            if (len == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_HEADER_BYTES));
            }
            n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            int from = Math.max(1, len - 3);
            len += n;
            if (containsBlankLine(buf, from, len)) {
                break;
            }
        }
        return parse(java.util.Arrays.copyOf(buf, len));
    }

    private static boolean containsBlankLine(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' && (b[i - 1] == '\n' || (b[i - 1] == '\r' && i >= 2 && b[i - 2] == '\n'))) {
                return true;
            }
        }
        return false;
    }

    /** Parses the header section at the start of raw message bytes. */
    public static MessageHeaders parse(byte[] raw) {
        int end = headerEnd(raw);
        // no blank line within the limit while there were at least that many bytes: cut
        boolean truncated = end < 0 && raw.length >= MAX_HEADER_BYTES;
        if (end < 0) {
            end = Math.min(raw.length, MAX_HEADER_BYTES);
        }
        String text = new String(raw, 0, end, StandardCharsets.UTF_8);
        List<Field> fields = new ArrayList<>();
        int malformed = 0;
        String name = null;
        StringBuilder value = new StringBuilder();
        int pos = 0;
        boolean first = true;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int lineEnd = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, lineEnd > pos && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd);
            pos = nl < 0 ? text.length() : nl + 1;
            if (first && line.startsWith("From ")) {
                first = false;
                continue; // mbox separator
            }
            first = false;
            if (line.isEmpty()) {
                break;
            }
            char c = line.charAt(0);
            if (c == ' ' || c == '\t') {
                if (name != null) {
                    if (value.length() < MAX_VALUE_CHARS) {
                        value.append('\n').append(line, 0, Math.min(line.length(), MAX_VALUE_CHARS - value.length()));
                    }
                } else {
                    malformed++;
                }
                continue;
            }
            if (name != null) {
                add(fields, name, value);
                name = null;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !validName(line, colon)) {
                malformed++;
                continue;
            }
            name = line.substring(0, colon).trim();
            value.setLength(0);
            String v = line.substring(colon + 1).stripLeading();
            value.append(v, 0, Math.min(v.length(), MAX_VALUE_CHARS));
        }
        if (name != null) {
            add(fields, name, value);
        }
        return new MessageHeaders(fields, malformed, truncated || fields.size() >= MAX_HEADERS);
    }

    private static void add(List<Field> fields, String name, StringBuilder value) {
        if (fields.size() < MAX_HEADERS) {
            fields.add(new Field(name, value.toString().trim()));
        }
    }

    private static boolean validName(String line, int colon) {
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            if (c <= ' ' || c > '~') {
                // "Received :" with a space before the colon is obsolete but seen; allow trailing blanks
                return line.substring(i, colon).isBlank() && i > 0;
            }
        }
        return true;
    }

    private static int headerEnd(byte[] raw) {
        int limit = Math.min(raw.length, MAX_HEADER_BYTES);
        for (int i = 1; i < limit; i++) {
            if (raw[i] == '\n' && (raw[i - 1] == '\n' || (raw[i - 1] == '\r' && i >= 2 && raw[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    @Override
    public List<String> values(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name.toLowerCase(Locale.ROOT).equals(wanted)) {
                out.add(f.value);
            }
        }
        return out;
    }

    /** All fields in message order. */
    public List<Field> fields() {
        return fields;
    }

    /** Lines in the header section that were neither fields nor continuations. */
    public int malformedLines() {
        return malformedLines;
    }

    /** True when the header section was longer than the limits and was cut. */
    public boolean truncated() {
        return truncated;
    }
}
