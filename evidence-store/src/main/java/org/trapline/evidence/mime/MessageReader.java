package org.trapline.evidence.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Address;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import javax.mail.util.SharedByteArrayInputStream;

/**
 * Decodes a raw message into {@link MessageContent} for the index. Spam is written to break
 * parsers, so every step has a fallback and a limit: unknown charsets fall back to a byte-preserving
 * one, broken base64 is decoded leniently, nesting and part counts are capped, and at most
 * {@link Limits#textPerPart} bytes of any one part are read, so a 50 MB attachment costs no memory
 * beyond the raw bytes already held. What fails is noted in {@link MessageContent#problems()}.
 */
public final class MessageReader {
    private static final Pattern HOST = Pattern.compile("[a-z0-9_-]+(?:\\.[a-z0-9_-]+)*|\\[[0-9a-f:.]+\\]");
    private static final Pattern EMAIL = Pattern.compile("[^\\s<>,;:\"()\\[\\]]+@[^\\s<>,;:\"()\\[\\]]+");

    /** Caps that keep one hostile message from costing unbounded time or memory. */
    public record Limits(int textPerPart, int textPerMessage, int maxDepth, int maxParts, int maxUrls) {
        public static Limits defaults() {
            return new Limits(256 * 1024, 1024 * 1024, 120, 2000, 500);
        }
    }

    private final Session session;
    private final Limits limits;

    public MessageReader(Limits limits) {
        this.limits = limits;
        Properties props = new Properties();
        props.setProperty("mail.mime.address.strict", "false");
        props.setProperty("mail.mime.decodetext.strict", "false");
        props.setProperty("mail.mime.parameters.strict", "false");
        props.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        props.setProperty("mail.mime.multipart.allowempty", "true");
        this.session = Session.getInstance(props);
    }

    public MessageReader() {
        this(Limits.defaults());
    }

    /** Only the headers the metadata row keeps; cheap, never throws. */
    public record Headline(String subject, String messageId) {
    }

    public Headline headline(byte[] raw) {
        try {
            MimeMessage msg = new MimeMessage(session, new SharedByteArrayInputStream(raw));
            return new Headline(subject(msg, new ArrayList<>()), clean(firstHeader(msg, "Message-ID")));
        } catch (MessagingException | RuntimeException e) {
            return new Headline(null, null);
        }
    }

    /** Decodes as much of the message as can be decoded; never throws on bad input. */
    public MessageContent read(byte[] raw) {
        Walk w = new Walk();
        MimeMessage msg;
        try {
            msg = new MimeMessage(session, new SharedByteArrayInputStream(raw));
        } catch (MessagingException | RuntimeException e) {
            w.problems.add("headers unreadable: " + e);
            w.appendText(new String(raw, 0, Math.min(raw.length, limits.textPerMessage()), StandardCharsets.ISO_8859_1));
            return w.finish(null, null, List.of(), List.of(), List.of());
        }
        String subject = subject(msg, w.problems);
        String messageId = clean(firstHeader(msg, "Message-ID"));
        List<String> from = addresses(msg, "From", w.problems);
        from.addAll(addresses(msg, "Sender", w.problems));
        List<String> to = addresses(msg, "To", w.problems);
        to.addAll(addresses(msg, "Cc", w.problems));
        List<String> replyTo = addresses(msg, "Reply-To", w.problems);
        w.walk(msg, 0);
        return w.finish(subject, messageId, from, to, replyTo);
    }

    private final class Walk {
        final StringBuilder text = new StringBuilder();
        final List<String> links = new ArrayList<>();
        final List<MessageContent.Attachment> attachments = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int parts;

        void walk(Part part, int depth) {
            if (++parts > limits.maxParts()) {
                if (parts == limits.maxParts() + 1) {
                    problems.add("more than " + limits.maxParts() + " parts; the rest not read");
                }
                return;
            }
            if (depth > limits.maxDepth()) {
                problems.add("nesting deeper than " + limits.maxDepth() + "; inner parts not read");
                return;
            }
            ContentType type = contentType(part);
            String base = type == null ? "text/plain" : type.getBaseType().toLowerCase(Locale.ROOT);
            String fileName = fileName(part);
            try {
                if (base.startsWith("multipart/")) {
                    Object content = part.getContent();
                    if (content instanceof Multipart mp) {
                        int count = mp.getCount();
                        for (int i = 0; i < count; i++) {
                            BodyPart child = mp.getBodyPart(i);
                            walk(child, depth + 1);
                        }
                        return;
                    }
                    readAsText(part, null, false);
                } else if (base.equals("message/rfc822") && fileName == null) {
                    Object content = part.getContent();
                    if (content instanceof MimeMessage inner) {
                        String s = subject(inner, problems);
                        if (s != null) {
                            appendText(s);
                        }
                        walk(inner, depth + 1);
                    }
                } else if (base.startsWith("text/") && (fileName == null || !isAttachment(part))) {
                    readAsText(part, type, base.equals("text/html"));
                } else {
                    attachments.add(new MessageContent.Attachment(fileName, base, Math.max(part.getSize(), 0)));
                }
            } catch (MessagingException | IOException | RuntimeException e) {
                problems.add("part " + parts + " (" + base + ") unreadable: " + e);
                readAsText(part, type, base.equals("text/html"));
            }
        }

        void readAsText(Part part, ContentType type, boolean html) {
            byte[] bytes = decodedBytes(part);
            if (bytes.length == 0) {
                return;
            }
            String s = decode(bytes, type == null ? null : type.getParameter("charset"));
            if (html || looksLikeHtml(s)) {
                s = HtmlText.toText(s, links);
            }
            appendText(s);
        }

        /**
         * The part's content with its transfer encoding undone, at most {@link Limits#textPerPart} bytes.
         * Decoded here rather than by javax.mail: its decoders stop at the first bad base64 quartet
         * and read one byte at a time, which made them a quarter of all indexing time.
         */
        byte[] decodedBytes(Part part) {
            String enc = encoding(part);
            try (InputStream in = rawStream(part)) {
                if ("base64".equals(enc)) {
                    byte[] raw = readCapped(in, limits.textPerPart() / 3 * 4 + 8);
                    Base64Result r = lenientBase64(raw);
                    if (r.junk()) {
                        problems.add("part " + parts + " has broken base64; decoded leniently");
                    }
                    return r.bytes();
                }
                if ("quoted-printable".equals(enc)) {
                    return decodeQuotedPrintable(readCapped(in, limits.textPerPart() * 2), limits.textPerPart());
                }
                return readCapped(in, limits.textPerPart());
            } catch (IOException | MessagingException | RuntimeException e) {
                problems.add("part " + parts + " content unreadable: " + e.getClass().getSimpleName());
                return new byte[0];
            }
        }

        void appendText(String s) {
            int room = limits.textPerMessage() - text.length();
            if (room <= 0) {
                return;
            }
            String cleaned = controlsToSpace(s);
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(cleaned, 0, Math.min(cleaned.length(), room));
        }

        MessageContent finish(String subject, String messageId, List<String> from, List<String> to, List<String> replyTo) {
            String body = text.toString();
            Set<String> urls = new LinkedHashSet<>();
            for (String link : links) {
                if (urls.size() >= limits.maxUrls()) {
                    break;
                }
                int end = UrlScanner.linkAt(link, 0);
                if (end > 0) {
                    urls.add(trimUrl(link.substring(0, end)));
                }
            }
            for (int start = UrlScanner.find(body, 0); start >= 0 && urls.size() < limits.maxUrls(); ) {
                int end = UrlScanner.linkAt(body, start);
                // Only at a word start: "xhttp://" or "awww.x" are not links.
                if (start == 0 || !Character.isLetterOrDigit(body.charAt(start - 1))) {
                    urls.add(trimUrl(body.substring(start, end)));
                }
                start = UrlScanner.find(body, end);
            }
            Set<String> hosts = new LinkedHashSet<>();
            for (String u : urls) {
                String h = host(u);
                if (h != null) {
                    hosts.add(h);
                }
            }
            return new MessageContent(subject, messageId, from, to, replyTo, body, List.copyOf(urls), List.copyOf(hosts),
                    attachments, problems);
        }
    }

    /** Lowercased host of a URL, or null when it has none worth indexing. */
    public static String host(String url) {
        String u = url;
        int scheme = u.indexOf("://");
        if (scheme >= 0) {
            u = u.substring(scheme + 3);
        }
        int end = u.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = u.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = u.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (!authority.startsWith("[")) {
            int colon = authority.indexOf(':');
            if (colon >= 0) {
                authority = authority.substring(0, colon);
            }
        }
        String host = authority.toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return !host.isEmpty() && host.length() <= 253 && HOST.matcher(host).matches() ? host : null;
    }

    private static String trimUrl(String url) {
        int end = url.length();
        while (end > 0 && ".,;:!?)>'\"".indexOf(url.charAt(end - 1)) >= 0) {
            end--;
        }
        return url.substring(0, end);
    }

    private static boolean isAttachment(Part part) {
        try {
            return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
        } catch (MessagingException | RuntimeException e) {
            return false;
        }
    }

    private static boolean looksLikeHtml(String s) {
        String head = s.substring(0, Math.min(s.length(), 512)).toLowerCase(Locale.ROOT);
        return head.contains("<html") || head.contains("<body") || head.contains("<!doctype html");
    }

    private static ContentType contentType(Part part) {
        try {
            String ct = part.getContentType();
            return ct == null ? null : new ContentType(ct);
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static String fileName(Part part) {
        try {
            String name = part.getFileName();
            if (name != null) {
                try {
                    name = MimeUtility.decodeText(name);
                } catch (IOException | RuntimeException e) {
                    // keep the undecoded name: still searchable
                }
                return controlsToSpace(name).trim();
            }
            return null;
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static String encoding(Part part) {
        try {
            String[] h = part.getHeader("Content-Transfer-Encoding");
            return h == null || h.length == 0 ? null : h[0].trim().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static InputStream rawStream(Part part) throws MessagingException, IOException {
        if (part instanceof MimeBodyPart mbp) {
            return mbp.getRawInputStream();
        }
        if (part instanceof MimeMessage msg) {
            return msg.getRawInputStream();
        }
        return part.getInputStream();
    }

    /** Decoded bytes, and whether anything but base64 letters, padding and line breaks was skipped. */
    record Base64Result(byte[] bytes, boolean junk) {
    }

    static Base64Result lenientBase64(byte[] raw) {
        byte[] clean = new byte[raw.length];
        int n = 0;
        boolean junk = false;
        boolean padding = false;
        for (byte b : raw) {
            if (b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/') {
                if (padding) {
                    junk = true; // data after '=' padding: concatenated or corrupted blocks
                }
                clean[n++] = b;
            } else if (b == '=') {
                padding = true;
            } else if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
                junk = true;
            }
        }
        n -= n % 4;
        return new Base64Result(Base64.getDecoder().decode(java.util.Arrays.copyOf(clean, n)), junk);
    }

    /** Quoted-printable decoding that keeps malformed escapes as written instead of failing. */
    static byte[] decodeQuotedPrintable(byte[] raw, int cap) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(raw.length, cap));
        int i = 0;
        while (i < raw.length && out.size() < cap) {
            byte b = raw[i];
            if (b == '=') {
                if (i + 1 < raw.length && raw[i + 1] == '\n') {
                    i += 2;
                    continue;
                }
                if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') {
                    i += 3;
                    continue;
                }
                int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 3;
                    continue;
                }
            }
            out.write(b);
            i++;
        }
        return out.toByteArray();
    }

    private static byte[] readCapped(InputStream in, int cap) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(cap, 4096));
        byte[] buf = new byte[16 * 1024];
        int total = 0;
        int n;
        while (total < cap && (n = in.read(buf, 0, Math.min(buf.length, cap - total))) > 0) {
            out.write(buf, 0, n);
            total += n;
        }
        return out.toByteArray();
    }

    /** Decodes text in its declared charset; unknown or lying charsets fall back without losing bytes. */
    static String decode(byte[] bytes, String declared) {
        Charset cs = charset(declared);
        if (cs != null) {
            return new String(bytes, cs);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }

    private static Charset charset(String declared) {
        if (declared == null || declared.isBlank()) {
            return null;
        }
        try {
            String java = MimeUtility.javaCharset(declared.trim().replace("\"", ""));
            return Charset.forName(java);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String subject(MimeMessage msg, List<String> problems) {
        String raw = firstHeader(msg, "Subject");
        if (raw == null) {
            return null;
        }
        String unfolded = MimeUtility.unfold(raw);
        try {
            return clean(MimeUtility.decodeText(unfolded));
        } catch (IOException | RuntimeException e) {
            problems.add("subject not decodable: " + e.getClass().getSimpleName());
            return clean(unfolded);
        }
    }

    private static String firstHeader(Part part, String name) {
        try {
            String[] values = part.getHeader(name);
            return values == null || values.length == 0 ? null : values[0];
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> addresses(MimeMessage msg, String header, List<String> problems) {
        List<String> out = new ArrayList<>();
        String[] values;
        try {
            values = msg.getHeader(header);
        } catch (MessagingException | RuntimeException e) {
            return out;
        }
        if (values == null) {
            return out;
        }
        for (String value : values) {
            String unfolded = MimeUtility.unfold(value);
            try {
                for (Address a : InternetAddress.parseHeader(unfolded, false)) {
                    out.add(clean(a instanceof InternetAddress ia ? ia.toUnicodeString() : a.toString()));
                }
            } catch (MessagingException | RuntimeException e) {
                // Unparseable address list: keep whatever looks like an address plus the decoded text.
                problems.add(header + " not parseable as addresses");
                Matcher m = EMAIL.matcher(unfolded);
                while (m.find()) {
                    out.add(m.group());
                }
                try {
                    out.add(clean(MimeUtility.decodeText(unfolded)));
                } catch (IOException | RuntimeException ignored) {
                    out.add(clean(unfolded));
                }
            }
        }
        return out;
    }

    private static String clean(String s) {
        return s == null ? null : controlsToSpace(s).trim();
    }

    /** NULs and other control characters become spaces: they break terminals and carry no words. */
    static String controlsToSpace(CharSequence s) {
        int n = s.length();
        int i = 0;
        while (i < n && !isControl(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s.toString();
        }
        // Mail bodies end every line with CR, so most texts get here: one bulk copy changed in place, not
        // a builder fed a character at a time (that was 8 % of the pipeline's time on 20 KB messages).
        char[] out = s.toString().toCharArray();
        for (; i < n; i++) {
            char c = out[i];
            if (isControl(c)) {
                out[i] = c == '\r' ? '\n' : ' ';
            }
        }
        return new String(out);
    }

    private static boolean isControl(char c) {
        return c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == '\r';
    }

}
