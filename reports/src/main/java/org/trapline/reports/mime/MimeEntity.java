package org.trapline.reports.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import org.trapline.origin.MessageHeaders;

/**
 * One MIME entity of a report (the whole mail or one of its parts): its header fields and its body,
 * split by our own bounded reader rather than a mail library, because reports quote spam and spam is
 * written to break parsers. Nothing here throws on hostile bytes: a missing closing boundary ends the
 * last part at the end of the input, more than {@link #MAX_PARTS} parts are counted and not read,
 * nesting deeper than {@link #MAX_DEPTH} is not entered, broken base64 is decoded as far as it goes and
 * an unknown charset reads as ISO-8859-1, which keeps every byte.
 */
public final class MimeEntity {
    /** Most parts read from one multipart, and most entities visited by {@link #descendants()}. */
    public static final int MAX_PARTS = 1000;
    /** Deepest nesting of multiparts entered. */
    public static final int MAX_DEPTH = 10;

    private final MessageHeaders headers;
    private final byte[] raw;
    private final int start;
    private final int bodyStart;
    private final int end;
    private final int depth;

    private MimeEntity(MessageHeaders headers, byte[] raw, int start, int bodyStart, int end, int depth) {
        this.headers = headers;
        this.raw = raw;
        this.start = start;
        this.bodyStart = bodyStart;
        this.end = end;
        this.depth = depth;
    }

    /** The entity that is the whole of {@code raw} (which is not copied: the caller must not change it). */
    public static MimeEntity parse(byte[] raw) {
        return parse(raw, 0, raw.length, 0);
    }

    private static MimeEntity parse(byte[] raw, int from, int to, int depth) {
        int bodyStart;
        if (from < to && raw[from] == '\n') {
            bodyStart = from + 1; // no header fields at all
        } else if (from + 1 < to && raw[from] == '\r' && raw[from + 1] == '\n') {
            bodyStart = from + 2;
        } else {
            int blank = blankLineEnd(raw, from, to);
            bodyStart = blank < 0 ? to : blank;
        }
        MessageHeaders headers = bodyStart == from ? MessageHeaders.of(List.of())
                : MessageHeaders.parse(Arrays.copyOfRange(raw, from, bodyStart));
        return new MimeEntity(headers, raw, from, bodyStart, to, depth);
    }

    private static int blankLineEnd(byte[] b, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (b[i] == '\n' && (b[i - 1] == '\n' || (b[i - 1] == '\r' && i - 2 >= from && b[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    public MessageHeaders headers() {
        return headers;
    }

    /** The first value of a header field, or null. */
    public String header(String name) {
        List<String> v = headers.values(name);
        return v.isEmpty() ? null : v.get(0);
    }

    public ContentType contentType() {
        return ContentType.parse(header("Content-Type"));
    }

    /** The body as it stands in the input (transfer encoding not undone). */
    public byte[] body() {
        return Arrays.copyOfRange(raw, bodyStart, end);
    }

    /** The whole entity, header section and body, as it stands in the input. */
    public byte[] bytes() {
        return Arrays.copyOfRange(raw, start, end);
    }

    /** The body with its Content-Transfer-Encoding (base64, quoted-printable) undone. */
    public byte[] decodedBody() {
        String enc = header("Content-Transfer-Encoding");
        enc = enc == null ? "" : enc.trim().toLowerCase(Locale.ROOT);
        byte[] body = body();
        if (enc.equals("base64")) {
            return lenientBase64(body);
        }
        if (enc.equals("quoted-printable")) {
            return quotedPrintable(body);
        }
        return body;
    }

    /** The decoded body as text in its declared charset (ISO-8859-1 when unknown or unsupported). */
    public String text() {
        return decode(decodedBody(), contentType().parameter("charset"));
    }

    /** Text of bytes in a named charset; a name Java does not know reads as ISO-8859-1. */
    public static String decode(byte[] bytes, String charset) {
        Charset cs = StandardCharsets.ISO_8859_1;
        if (charset != null) {
            try {
                cs = Charset.forName(charset.trim());
            } catch (IllegalArgumentException unknown) {
                // an unknown or misspelt charset: keep the bytes readable
            }
        }
        return new String(bytes, cs);
    }

    /** The direct parts of a multipart, at most {@link #MAX_PARTS}; empty for any other entity. */
    public Parts parts() {
        ContentType ct = contentType();
        String boundary = ct.parameter("boundary");
        if (!ct.isMultipart() || boundary == null || boundary.isEmpty() || depth >= MAX_DEPTH) {
            return new Parts(List.of(), false, false);
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<MimeEntity> parts = new ArrayList<>();
        int partStart = -1;
        boolean closed = false;
        boolean more = false;
        int pos = bodyStart;
        while (pos < end) {
            int lineEnd = indexOf(raw, (byte) '\n', pos, end);
            int next = lineEnd < 0 ? end : lineEnd + 1;
            if (startsWith(raw, pos, end, delimiter)) {
                int after = pos + delimiter.length;
                boolean close = after + 1 < end && raw[after] == '-' && raw[after + 1] == '-';
                if (restIsBlank(raw, close ? after + 2 : after, lineEnd < 0 ? end : lineEnd)) {
                    if (partStart >= 0) {
                        if (parts.size() == MAX_PARTS) {
                            more = true;
                            break;
                        }
                        parts.add(parse(raw, partStart, trimLineBreak(raw, partStart, pos), depth + 1));
                    }
                    if (close) {
                        closed = true;
                        partStart = -1;
                        break;
                    }
                    partStart = next;
                }
            }
            pos = next;
        }
        if (partStart >= 0 && !more) {
            if (parts.size() == MAX_PARTS) {
                more = true;
            } else {
                parts.add(parse(raw, partStart, end, depth + 1)); // no closing boundary: the input ends the part
            }
        }
        return new Parts(parts, closed, more);
    }

    /**
     * This entity and every entity inside it, depth first, at most {@link #MAX_PARTS} in all; a
     * message/rfc822 part is a leaf here (the reported message is not a report).
     */
    public List<MimeEntity> descendants() {
        List<MimeEntity> out = new ArrayList<>();
        Deque<MimeEntity> todo = new ArrayDeque<>();
        todo.push(this);
        while (!todo.isEmpty() && out.size() < MAX_PARTS) {
            MimeEntity e = todo.pop();
            out.add(e);
            List<MimeEntity> children = e.parts().list();
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        return out;
    }

    /**
     * The parts of a multipart.
     *
     * @param list   the parts read
     * @param closed whether the closing boundary was found (false: the report was cut off)
     * @param more   whether there were more than {@link #MAX_PARTS} parts, the rest not read
     */
    public record Parts(List<MimeEntity> list, boolean closed, boolean more) {
        public Parts {
            list = List.copyOf(list);
        }
    }

    private static int trimLineBreak(byte[] b, int from, int pos) {
        int p = pos;
        if (p > from && b[p - 1] == '\n') {
            p--;
            if (p > from && b[p - 1] == '\r') {
                p--;
            }
        }
        return p;
    }

    private static boolean restIsBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int pos, int end, byte[] prefix) {
        if (end - pos < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte x, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** Base64 with everything outside the alphabet skipped, decoded up to the first broken quartet. */
    static byte[] lenientBase64(byte[] body) {
        byte[] clean = new byte[body.length];
        int n = 0;
        for (byte c : body) {
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                clean[n++] = c;
            } else if (c == '=') {
                break;
            }
        }
        n -= n % 4 == 1 ? 1 : 0; // a lone trailing sextet carries no whole byte
        return Base64.getDecoder().decode(padded(clean, n));
    }

    private static byte[] padded(byte[] clean, int n) {
        int pad = (4 - n % 4) % 4;
        byte[] out = Arrays.copyOf(clean, n + pad);
        Arrays.fill(out, n, n + pad, (byte) '=');
        return out;
    }

    static byte[] quotedPrintable(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        for (int i = 0; i < body.length; i++) {
            byte c = body[i];
            if (c != '=') {
                out.write(c);
                continue;
            }
            if (i + 1 < body.length && body[i + 1] == '\n') {
                i++; // soft line break
            } else if (i + 2 < body.length && body[i + 1] == '\r' && body[i + 2] == '\n') {
                i += 2;
            } else if (i + 2 < body.length && hex(body[i + 1]) >= 0 && hex(body[i + 2]) >= 0) {
                out.write(hex(body[i + 1]) * 16 + hex(body[i + 2]));
                i += 2;
            } else {
                out.write(c); // a stray '=' stays as written
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
