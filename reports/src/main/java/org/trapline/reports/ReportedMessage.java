package org.trapline.reports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The spam a report is about, as the report carries it: the whole message, or only its header section
 * (ARF's text/rfc822-headers, a forwarded header block).
 *
 * @param bytes       the message as the report carries it (owned by this value: not copied)
 * @param headersOnly true when the report carries only the header section
 * @param sha256      lowercase hex SHA-256 of the bytes with line ends made CRLF and trailing blank lines
 *                    dropped, so the same spam quoted by two feedback loops, one with LF and one with
 *                    CRLF, is one incident
 */
public record ReportedMessage(byte[] bytes, boolean headersOnly, String sha256) {

    public static ReportedMessage of(byte[] bytes, boolean headersOnly) {
        return new ReportedMessage(bytes, headersOnly, sha256(bytes));
    }

    static String sha256(byte[] bytes) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                int lineEnd = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
                md.update(bytes, lineStart, lineEnd - lineStart);
                md.update(crlf);
                lineStart = i + 1;
            }
        }
        md.update(bytes, lineStart, end - lineStart);
        return HexFormat.of().formatHex(md.digest());
    }
}
