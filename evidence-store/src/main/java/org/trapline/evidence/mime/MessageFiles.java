package org.trapline.evidence.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

/**
 * The files a raw message carries, as the desk lists and hands them out: attachments numbered in message
 * order with their decoded size and SHA-256, and images named by Content-ID for the inert HTML view.
 * Hostile structure (thousands of parts, deep nesting, broken encodings) costs a bounded walk and yields
 * what could be read.
 */
public final class MessageFiles {
    /** Parts looked at, at most. */
    static final int MAX_PARTS = 1_000;
    static final int MAX_DEPTH = 20;
    /** Attachments listed, at most; the rest are counted. */
    static final int MAX_ATTACHMENTS = 200;
    /** Image types the sandboxed HTML view may show from the message itself (no SVG: it can carry script). */
    static final List<String> INLINE_IMAGE_TYPES = List.of("image/png", "image/gif", "image/jpeg", "image/webp");

    /**
     * A part that is a file: its number on the hit page (for the download route), its name as the message
     * gives it (hostile text, or null), its declared type, its decoded size and SHA-256.
     */
    public record Attachment(int number, String name, String contentType, long size, String sha256) {
    }

    /** The attachments shown, and how many more the message has (or may have, past the parts looked at). */
    public record Attachments(List<Attachment> listed, int omitted, boolean partsCapped) {
    }

    /** An image part named by a Content-ID, for the sandboxed HTML view's {@code cid:} references. */
    public record InlineImage(String contentType, byte[] bytes) {
    }

    /** The message as parsed; null when it could not be parsed at all. */
    private final MimeMessage message;

    private MessageFiles(MimeMessage message) {
        this.message = message;
    }

    public static MessageFiles of(byte[] raw) {
        try {
            return new MessageFiles(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        } catch (MessagingException e) {
            return new MessageFiles(null);
        }
    }

    /** The file parts, in message order, numbered from 1; at most {@value #MAX_ATTACHMENTS} listed. */
    public Attachments attachments() {
        List<Attachment> listed = new ArrayList<>();
        int[] omitted = {0};
        boolean capped = message != null && walkFiles((n, part) -> {
            if (listed.size() < MAX_ATTACHMENTS) {
                byte[] bytes = decodedBytes(part);
                listed.add(new Attachment(n, fileName(part), baseType(part), bytes.length, sha256(bytes)));
            } else {
                omitted[0]++;
            }
            return false;
        });
        return new Attachments(listed, omitted[0], capped);
    }

    /** The decoded bytes of attachment {@code number} as {@link #attachments()} numbers it. */
    public Optional<byte[]> attachment(int number) {
        byte[][] found = {null};
        if (message != null) {
            walkFiles((n, part) -> {
                if (n == number) {
                    found[0] = decodedBytes(part);
                    return true;
                }
                return false;
            });
        }
        return Optional.ofNullable(found[0]);
    }

    /** The image part whose Content-ID is {@code contentId} (with or without angle brackets), if of an inline image type. */
    public Optional<InlineImage> inlineImage(String contentId) {
        String wanted = bare(contentId);
        InlineImage[] found = {null};
        if (message != null && !wanted.isEmpty()) {
            walkAll((n, part) -> {
                String type = baseType(part);
                if (INLINE_IMAGE_TYPES.contains(type) && wanted.equals(bare(header(part, "Content-ID")))) {
                    found[0] = new InlineImage(type, decodedBytes(part));
                    return true;
                }
                return false;
            });
        }
        return Optional.ofNullable(found[0]);
    }

    /** Told each part in order; true stops the walk. */
    private interface PartVisitor {
        boolean visit(int number, Part part) throws MessagingException, IOException;
    }

    /** Visits file parts, numbered from 1; true when the walk stopped at the part or depth limit. */
    private boolean walkFiles(PartVisitor visitor) {
        int[] files = {0};
        return walkAll((n, part) -> isFile(part) && visitor.visit(++files[0], part));
    }

    /** Visits every leaf part, within the limits; true when a limit cut the walk short. */
    private boolean walkAll(PartVisitor visitor) {
        int[] seen = {0};
        boolean[] capped = {false};
        try {
            walk(message, 0, seen, capped, visitor);
        } catch (MessagingException | IOException | RuntimeException unreadable) {
            // what was read so far stands
        }
        return capped[0];
    }

    private static boolean walk(Part part, int depth, int[] seen, boolean[] capped, PartVisitor visitor)
            throws MessagingException, IOException {
        if (++seen[0] > MAX_PARTS || depth > MAX_DEPTH) {
            capped[0] = true;
            return true;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                if (walk(mp.getBodyPart(i), depth + 1, seen, capped, visitor)) {
                    return true;
                }
            }
            return false;
        }
        return visitor.visit(seen[0], part);
    }

    /** A file rather than text to read: as the evidence store's reader tells them apart. */
    private static boolean isFile(Part part) {
        String type = baseType(part);
        if (type.startsWith("multipart/")) {
            return false;
        }
        String name = fileName(part);
        if (type.startsWith("text/")) {
            return name != null && isAttachmentDisposition(part);
        }
        return !(type.equals("message/rfc822") && name == null);
    }

    private static boolean isAttachmentDisposition(Part part) {
        try {
            return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
        } catch (MessagingException | RuntimeException e) {
            return false;
        }
    }

    private static String baseType(Part part) {
        try {
            String ct = part.getContentType();
            return ct == null ? "text/plain" : new javax.mail.internet.ContentType(ct).getBaseType().toLowerCase(java.util.Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "application/octet-stream";
        }
    }

    private static String fileName(Part part) {
        try {
            String name = part.getFileName();
            return name == null ? null : decoded(name);
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static String header(Part part, String name) {
        try {
            String[] v = part.getHeader(name);
            return v == null || v.length == 0 ? "" : v[0];
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }

    private static String bare(String contentId) {
        String id = contentId == null ? "" : contentId.strip();
        if (id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1);
        }
        return id.strip();
    }

    /** The part's content with its transfer encoding undone; as written when that fails (a broken encoding). */
    private static byte[] decodedBytes(Part part) {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } catch (MessagingException | IOException | RuntimeException e) {
            try (InputStream raw = part instanceof javax.mail.internet.MimeBodyPart mbp ? mbp.getRawInputStream() : null) {
                return raw == null ? new byte[0] : raw.readAllBytes();
            } catch (MessagingException | IOException | RuntimeException again) {
                return new byte[0];
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decoded(String value) {
        String unfolded = MimeUtility.unfold(value);
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
            return unfolded;
        }
    }
}
