package org.trapline.mailets.spool;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.trapline.common.log.Framing;

/**
 * The spool's record: the frame {@code ["TRP1", length, CRC32C over key and payload, key (32 bytes),
 * payload]}, where the key is the intake key and the payload the envelope as {@code name value} lines
 * (values URL-encoded, UTF-8) after the line {@code trapline-spool 1}, an empty line, then the raw message
 * bytes untouched. This is the layout every earlier version wrote, so a spool left pending by one replays
 * after an upgrade.
 */
final class SpoolRecord {
    static final Framing FRAMING = new Framing(0x54525031 /* "TRP1" */, Framing.NO_MAGIC, 32, true, 0, Integer.MAX_VALUE - 44);
    private static final String PAYLOAD_MAGIC = "trapline-spool 1";
    private static final byte[] END_OF_HEADER = {'\n', '\n'};

    private SpoolRecord() {
    }

    /** The identity of an intake: SHA-256 over envelope sender, recipients and the raw bytes. */
    static String intakeKey(String sender, List<String> recipients, byte[] raw) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        sha.update(sender.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        for (String rcpt : recipients) {
            sha.update(rcpt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update((byte) 0);
        sha.update(raw);
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Rejects anything but an intake key before it names a file or a record. */
    static String checkKey(String key) {
        if (key == null || !key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not an intake key: " + key);
        }
        return key;
    }

    /** A record as buffers for one gathering write: head, envelope, raw bytes. */
    static ByteBuffer[] frame(String key, Envelope envelope, byte[] raw) throws IOException {
        byte[] header = header(envelope);
        if ((long) header.length + raw.length > FRAMING.maxPayload()) {
            throw new IOException("message too large for the spool: " + raw.length + " bytes");
        }
        return FRAMING.frame(HexFormat.of().parseHex(key), ByteBuffer.wrap(header), ByteBuffer.wrap(raw));
    }

    private static byte[] header(Envelope e) {
        StringBuilder b = new StringBuilder(PAYLOAD_MAGIC).append('\n');
        line(b, "sender", e.sender());
        for (String rcpt : e.recipients()) {
            line(b, "rcpt", rcpt);
        }
        line(b, "client-ip", e.clientIp());
        line(b, "client-helo", e.clientHelo());
        line(b, "received-at", e.receivedAt().toString());
        if (e.hitId() != 0) {
            line(b, "hit-id", Long.toString(e.hitId()));
        }
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(name).append(' ').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('\n');
    }

    /**
     * Reads a payload whose checksum matched.
     *
     * @throws IllegalArgumentException when it is no layout this version knows (a newer one wrote it)
     */
    static SpooledMessage read(String key, byte[] payload) {
        int end = indexOf(payload, END_OF_HEADER);
        if (end < 0) {
            throw new IllegalArgumentException("no end of spool header");
        }
        String[] lines = new String(payload, 0, end, StandardCharsets.UTF_8).split("\n");
        if (!PAYLOAD_MAGIC.equals(lines[0])) {
            throw new IllegalArgumentException("not a Trapline spool record");
        }
        String sender = null;
        String clientIp = null;
        String helo = "";
        Instant at = null;
        long hitId = 0;
        List<String> rcpts = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int sp = lines[i].indexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException("bad spool header line " + (i + 1));
            }
            String value = URLDecoder.decode(lines[i].substring(sp + 1), StandardCharsets.UTF_8);
            switch (lines[i].substring(0, sp)) {
                case "sender" -> sender = value;
                case "rcpt" -> rcpts.add(value);
                case "client-ip" -> clientIp = value;
                case "client-helo" -> helo = value;
                case "received-at" -> at = Instant.parse(value);
                case "hit-id" -> hitId = Long.parseLong(value);
                default -> { /* a later version's field: ignore */ }
            }
        }
        if (sender == null || clientIp == null || at == null || rcpts.isEmpty()) {
            throw new IllegalArgumentException("incomplete spool header");
        }
        byte[] raw = new byte[payload.length - end - 2];
        System.arraycopy(payload, end + 2, raw, 0, raw.length);
        return new SpooledMessage(key, new Envelope(sender, rcpts, clientIp, helo, at, hitId), raw);
    }

    /** Why a payload whose checksum matched cannot be read (a newer version's layout), or null when it can. */
    static String unreadable(String key, byte[] payload) {
        try {
            read(key, payload);
            return null;
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
