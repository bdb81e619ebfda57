package org.trapline.web.page;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

/**
 * What the hit page reads from a raw message besides the desk's decoded content: the header lines,
 * decoded, in order, and the first HTML part. Hostile structure (deep nesting, thousands of parts, broken
 * charsets) costs a bounded walk and yields what could be read.
 */
public final class MessageParts {
    /** Parts looked at, at most, when searching for the HTML part. */
    static final int MAX_PARTS = 1_000;
    static final int MAX_DEPTH = 20;
    static final int MAX_HEADERS = 500;

    /** One header line: its name and its value with encoded words decoded and folding undone. */
    public record HeaderLine(String name, String value) {
    }

    /** The message as parsed once; null when it could not be parsed at all. */
    private final MimeMessage message;

    private MessageParts(MimeMessage message) {
        this.message = message;
    }

    /** Parses the raw message once, for both of the hit page's reads. */
    public static MessageParts of(byte[] raw) {
        try {
            return new MessageParts(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        } catch (MessagingException e) {
            return new MessageParts(null);
        }
    }

    public List<HeaderLine> headers() {
        if (message == null) {
            return List.of();
        }
        try {
            List<HeaderLine> lines = new ArrayList<>();
            for (Header h : Collections.list(message.getAllHeaders())) {
                if (lines.size() == MAX_HEADERS) {
                    break;
                }
                lines.add(new HeaderLine(h.getName(), decoded(h.getValue())));
            }
            return lines;
        } catch (MessagingException e) {
            return List.of();
        }
    }

    /** The first text/html part's text; empty when there is none or it cannot be read. */
    public Optional<String> html() {
        if (message == null) {
            return Optional.empty();
        }
        try {
            return html(message, new int[] {0}, 0);
        } catch (MessagingException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> html(Part part, int[] seen, int depth) throws MessagingException, IOException {
        if (++seen[0] > MAX_PARTS || depth > MAX_DEPTH) {
            return Optional.empty();
        }
        if (part.isMimeType("text/html")) {
            return Optional.of(text(part));
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount() && seen[0] <= MAX_PARTS; i++) {
                Optional<String> found = html(mp.getBodyPart(i), seen, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The part's text in its charset; in ISO-8859-1 (every byte a character) when that charset is unknown. */
    private static String text(Part part) throws MessagingException, IOException {
        try {
            Object content = part.getContent();
            if (content instanceof String s) {
                return s;
            }
        } catch (java.io.UnsupportedEncodingException unknownCharset) {
            // read below
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String decoded(String value) {
        if (value == null) {
            return "";
        }
        String unfolded = MimeUtility.unfold(value);
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
            return unfolded;
        }
    }
}
