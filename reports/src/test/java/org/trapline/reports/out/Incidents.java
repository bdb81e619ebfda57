package org.trapline.reports.out;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Spam incidents for the writer tests, with hostile envelopes. */
public final class Incidents {
    public static final Instant ARRIVAL = Instant.parse("2026-11-30T21:14:05Z");
    public static final Reporter REPORTER = new Reporter("Example ISP", "abuse@isp.example", "isp.example", "Trapline/test");

    private Incidents() {
    }

    public static Incident of(String ip, int port, String mailFrom, byte[] original) {
        return new Incident(ip, port, ARRIVAL, mailFrom, List.of("trap@isp.example"), Incident.domainOf(mailFrom), original, sha256(original));
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRLF spam whose Subject and envelope try to add header fields to a report. */
    public static byte[] spam() {
        return ascii("Received: from [198.51.100.7] (port=52344) by mx.isp.example; Mon, 30 Nov 2026 21:14:05 +0000\r\n"
                + "From: \"Win\" <winner@spam.example>\r\nTo: trap@isp.example\r\n"
                + "Subject: You won\r\nMessage-ID: <1@spam.example>\r\n\r\n"
                + "From here on, claim it.\r\n--\r\nSpam Spam Spam\r\n");
    }
}
