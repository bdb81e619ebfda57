package org.trapline.attribution.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.AccountingStatus;
import org.trapline.common.log.Framing;

/**
 * The journal's record format: {@code int payloadLength, int crc32c(payload), payload}, big-endian. The
 * payload is the decoded accounting record (format version, status, times, then the text and number
 * fields), not the RADIUS packet: what was acknowledged is exactly what gets applied, whatever the
 * shared secrets or the decoder later become.
 */
final class JournalCodec {
    /** Larger than any record (a RADIUS packet is at most 4096 bytes); a longer length field is corruption. */
    static final int MAX_PAYLOAD = 1 << 20;
    /** No magic and no key: a zero-filled tail never reads as a record because a payload is never empty. */
    static final Framing FRAMING = new Framing(Framing.NO_MAGIC, Framing.NO_MAGIC, 0, false, 1, MAX_PAYLOAD);
    static final int FRAME_HEADER = FRAMING.headerBytes();
    private static final byte[] NO_KEY = new byte[0];
    private static final byte VERSION = 1;

    private JournalCodec() {
    }

    /** A growable byte buffer that frames records; one per writer thread, reused batch after batch. */
    static final class Frames {
        private byte[] buf = new byte[1 << 16];
        private int size;

        void clear() {
            size = 0;
        }

        int size() {
            return size;
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, size);
        }

        void add(AccountingEvent e) {
            int frame = size;
            ensure(FRAME_HEADER);
            size += FRAME_HEADER;
            byte1(VERSION);
            byte1((byte) e.status().code());
            long1(e.eventTime().getEpochSecond());
            int1(e.eventTime().getNano());
            long1(e.receivedAt().getEpochSecond());
            int1(e.receivedAt().getNano());
            text(e.nasIpAddress());
            text(e.acctSessionId());
            text(e.userName());
            text(e.framedIpAddress());
            text(e.framedIpv6Address());
            text(e.framedIpv6Prefix());
            text(e.delegatedIpv6Prefix());
            text(e.callingStationId());
            text(e.calledStationId());
            text(e.nasPortId());
            text(e.acctClass());
            text(e.terminateCause());
            text(e.vendorAttributes());
            number(e.sessionTime());
            number(e.inputOctets());
            number(e.outputOctets());
            FRAMING.sealInPlace(buf, frame, size - frame - FRAME_HEADER, NO_KEY);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        private void byte1(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        private void int1(int v) {
            ensure(4);
            putInt(size, v);
            size += 4;
        }

        private void long1(long v) {
            int1((int) (v >>> 32));
            int1((int) v);
        }

        private void putInt(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }

        /** Length + 1 as an unsigned varint (0 = absent), then UTF-8. */
        private void text(String s) {
            if (s == null) {
                byte1((byte) 0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        private void number(Long v) {
            byte1((byte) (v == null ? 0 : 1));
            if (v != null) {
                long1(v);
            }
        }

        private void varint(int v) {
            while ((v & ~0x7f) != 0) {
                byte1((byte) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            byte1((byte) v);
        }
    }

    /**
     * Decodes a payload whose checksum matched.
     *
     * @throws IllegalArgumentException if it is not a record this version wrote, or the record is not
     *                                  one the session store accepts
     */
    static AccountingEvent decode(ByteBuffer p) {
        try {
            byte version = p.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("journal record format " + version + " is not known to this version");
            }
            AccountingStatus status = AccountingStatus.ofCode(p.get());
            Instant eventTime = Instant.ofEpochSecond(p.getLong(), p.getInt());
            Instant receivedAt = Instant.ofEpochSecond(p.getLong(), p.getInt());
            String nas = text(p), sessionId = text(p), user = text(p), framedIp = text(p), framedIpv6 = text(p),
                    framedPrefix = text(p), delegated = text(p), calling = text(p), called = text(p), port = text(p),
                    acctClass = text(p), cause = text(p), vendor = text(p);
            Long sessionTime = number(p), in = number(p), out = number(p);
            if (p.hasRemaining()) {
                throw new IllegalArgumentException(p.remaining() + " bytes after the record");
            }
            return new AccountingEvent(status, eventTime, receivedAt, nas, sessionId, user, framedIp, framedIpv6, framedPrefix,
                    delegated, calling, called, port, acctClass, sessionTime, in, out, cause, vendor);
        } catch (java.nio.BufferUnderflowException | java.time.DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("undecodable journal record: " + e);
        }
    }

    private static String text(ByteBuffer p) {
        int n = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw new IllegalArgumentException("bad length in journal record");
            }
            byte b = p.get();
            n |= (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (n == 0) {
            return null;
        }
        int len = n - 1;
        if (len > p.remaining()) {
            throw new IllegalArgumentException("text longer than the journal record");
        }
        String s = new String(p.array(), p.arrayOffset() + p.position(), len, StandardCharsets.UTF_8);
        p.position(p.position() + len);
        return s;
    }

    private static Long number(ByteBuffer p) {
        return p.get() == 0 ? null : p.getLong();
    }
}
