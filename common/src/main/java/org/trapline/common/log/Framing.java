package org.trapline.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * A store's record frame: {@code [magic], length, CRC32C, [key], payload}, all integers big-endian. The
 * magic (four bytes) and the fixed-size key are optional; the checksum covers the payload, and the key
 * too when {@code keyInChecksum}. Each store names its own framing, so that files written before this
 * library read unchanged.
 *
 * @param magic         the first four bytes of every live record, or {@link #NO_MAGIC}
 * @param erasedMagic   the first four bytes of a record erased in place (zeros for payload), or {@link #NO_MAGIC}
 * @param keyBytes      length of the key after the checksum (0: none)
 * @param keyInChecksum whether the checksum covers the key before the payload
 * @param minPayload    the shortest valid payload; without a magic at least 1, so zeros never read as records
 * @param maxPayload    the longest valid payload; a longer length field is damage
 */
public record Framing(int magic, int erasedMagic, int keyBytes, boolean keyInChecksum, int minPayload, int maxPayload) {
    public static final int NO_MAGIC = 0;
    private static final ByteBuffer NO_KEY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    public Framing {
        if (keyBytes < 0 || minPayload < 0 || maxPayload < minPayload || magic == NO_MAGIC && minPayload < 1) {
            throw new IllegalArgumentException("not a usable framing");
        }
        if (maxPayload > Integer.MAX_VALUE - 12 - keyBytes) {
            throw new IllegalArgumentException("payload limit leaves no room for the header");
        }
    }

    /** Bytes before the payload. */
    public int headerBytes() {
        return (magic == NO_MAGIC ? 0 : 4) + 8 + keyBytes;
    }

    /** The checksum of a record. */
    public int checksum(ByteBuffer key, ByteBuffer... payload) {
        CRC32C crc = new CRC32C();
        if (keyInChecksum) {
            crc.update(key.duplicate());
        }
        for (ByteBuffer p : payload) {
            crc.update(p.duplicate());
        }
        return (int) crc.getValue();
    }

    /**
     * A record as buffers for one gathering write: the header, then the payload buffers as given.
     *
     * @throws IOException when the payload is longer than the framing allows
     */
    public ByteBuffer[] frame(byte[] key, ByteBuffer... payload) throws IOException {
        checkKey(key);
        long length = 0;
        for (ByteBuffer p : payload) {
            length += p.remaining();
        }
        if (length < minPayload || length > maxPayload) {
            throw new IOException("a record of " + length + " bytes does not fit this log (" + minPayload + " to " + maxPayload + ")");
        }
        ByteBuffer header = ByteBuffer.allocate(headerBytes());
        putHeader(header, key, (int) length, checksum(ByteBuffer.wrap(key), payload));
        header.flip();
        ByteBuffer[] out = new ByteBuffer[payload.length + 1];
        out[0] = header;
        System.arraycopy(payload, 0, out, 1, payload.length);
        return out;
    }

    /**
     * Frames a payload already written into {@code buf} after room left for its header (at {@code start});
     * for writers that build many records in one array.
     */
    public void sealInPlace(byte[] buf, int start, int payloadLength, byte[] key) {
        checkKey(key);
        CRC32C crc = new CRC32C();
        if (keyInChecksum) {
            crc.update(key);
        }
        crc.update(buf, start + headerBytes(), payloadLength);
        putHeader(ByteBuffer.wrap(buf, start, headerBytes()), key, payloadLength, (int) crc.getValue());
    }

    private void putHeader(ByteBuffer header, byte[] key, int length, int crc) {
        if (magic != NO_MAGIC) {
            header.putInt(magic);
        }
        header.putInt(length).putInt(crc).put(key);
    }

    private void checkKey(byte[] key) {
        if (key.length != keyBytes) {
            throw new IllegalArgumentException("a key of " + keyBytes + " bytes expected, not " + key.length);
        }
    }

    /** What lies at a position: a whole frame, a frame not yet all in the buffer, or damage. */
    sealed interface Parse {
    }

    record Whole(Frame frame) implements Parse {
    }

    record Incomplete(int frameLength) implements Parse {
    }

    record Broken(String problem) implements Parse {
    }

    /**
     * Parses the frame starting at {@code buf}'s position, which holds the file from {@code offset}; the
     * file (or the part being read) ends {@code toLimit} bytes after it.
     */
    Parse parse(ByteBuffer buf, long offset, long toLimit) {
        return parse(buf, offset, toLimit, 0);
    }

    /** As {@link #parse(ByteBuffer, long, long)}, the frame's offset reported as {@code base + offset}. */
    private Parse parse(ByteBuffer buf, long offset, long toLimit, long base) {
        int head = headerBytes();
        if (toLimit < head) {
            return new Broken("a record header cut short");
        }
        if (buf.remaining() < head) {
            return new Incomplete(head);
        }
        int at = buf.position();
        boolean erased = false;
        int p = at;
        if (magic != NO_MAGIC) {
            int m = buf.getInt(p);
            erased = erasedMagic != NO_MAGIC && m == erasedMagic;
            if (m != magic && !erased) {
                return new Broken("no record starts here");
            }
            p += 4;
        }
        int length = buf.getInt(p);
        int crc = buf.getInt(p + 4);
        if (length < minPayload || length > maxPayload) {
            return new Broken("a record length out of range (" + length + ")");
        }
        long frameLength = (long) head + length;
        if (frameLength > toLimit) {
            return new Broken("a record cut short");
        }
        if (buf.remaining() < frameLength) {
            return new Incomplete((int) frameLength);
        }
        int payloadLength = (int) frameLength - head;
        if (!erased && checksumAt(buf, p + 8, at + head, payloadLength) != crc) {
            return new Broken("checksum mismatch");
        }
        ByteBuffer key = keyBytes == 0 ? NO_KEY : buf.slice(p + 8, keyBytes);
        return new Whole(new Frame(base + offset, (int) frameLength, key, buf.slice(at + head, payloadLength), erased));
    }

    /** The checksum of a frame in a buffer, from its array where it has one (a scan's hot path). */
    private int checksumAt(ByteBuffer buf, int keyAt, int payloadAt, int payloadLength) {
        CRC32C crc = new CRC32C();
        if (buf.hasArray()) {
            if (keyInChecksum) {
                crc.update(buf.array(), buf.arrayOffset() + keyAt, keyBytes);
            }
            crc.update(buf.array(), buf.arrayOffset() + payloadAt, payloadLength);
        } else {
            if (keyInChecksum) {
                crc.update(buf.slice(keyAt, keyBytes));
            }
            crc.update(buf.slice(payloadAt, payloadLength));
        }
        return (int) crc.getValue();
    }

    /** Receives the frames of a scan in order; returns false to stop after this one. */
    @FunctionalInterface
    public interface Visitor {
        boolean accept(Frame frame) throws IOException;
    }

    /**
     * Reads the intact frames of {@code ch} from {@code from} up to {@code limit}, through {@code buf}
     * (any size; a larger frame gets a buffer of its own), and says where they end and why they stop.
     */
    public Scan scan(FileChannel ch, long from, long limit, ByteBuffer buf, Visitor visitor) throws IOException {
        return scan(ch, from, limit, buf, visitor, 0);
    }

    /** As {@link #scan(FileChannel, long, long, ByteBuffer, Visitor)}, frames' offsets reported as {@code base + offset}. */
    Scan scan(FileChannel ch, long from, long limit, ByteBuffer buf, Visitor visitor, long base) throws IOException {
        long pos = from;
        ByteBuffer b = buf;
        b.clear().limit(0);
        long bufStart = pos;
        while (pos < limit) {
            b.position((int) (pos - bufStart));
            Parse parse = parse(b, pos, limit - pos, base);
            if (parse instanceof Broken broken) {
                return new Scan(pos, broken.problem());
            }
            if (parse instanceof Incomplete incomplete) {
                if (incomplete.frameLength() > b.capacity()) {
                    b = ByteBuffer.allocate(incomplete.frameLength());
                } else {
                    b.clear();
                }
                b.limit((int) Math.min(b.capacity(), limit - pos));
                int n = FileIo.readFully(ch, b, pos);
                b.flip();
                bufStart = pos;
                if (n < incomplete.frameLength() && n < limit - pos) {
                    // The file is shorter than its size said (cut meanwhile): read what is there as the end.
                    limit = pos + n;
                }
                continue;
            }
            Frame frame = ((Whole) parse).frame();
            pos += frame.length();
            if (!visitor.accept(frame)) {
                break;
            }
        }
        return new Scan(pos, null);
    }

    /** The frame at a position, if a whole intact one is there. */
    public sealed interface Read {
    }

    /** A whole, intact frame (or an erased one). */
    public record Found(Frame frame) implements Read {
    }

    /** The file ends before the frame does (or there is no such file): a tail lost or torn by a crash. */
    public record Missing() implements Read {
    }

    /** Something other than an intact frame of this framing is there. */
    public record Damaged(String problem) implements Read {
    }

    /** Reads the one frame at {@code offset}, however many reads that takes. */
    public Read readAt(FileChannel ch, long offset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(headerBytes());
        if (FileIo.readFully(ch, head, offset) < head.capacity()) {
            return new Missing();
        }
        head.flip();
        Parse parse = parse(head, offset, Long.MAX_VALUE);
        if (parse instanceof Broken broken) {
            return new Damaged(broken.problem());
        }
        int frameLength = parse instanceof Incomplete i ? i.frameLength() : ((Whole) parse).frame().length();
        ByteBuffer whole = ByteBuffer.allocate(frameLength);
        if (FileIo.readFully(ch, whole, offset) < frameLength) {
            return new Missing();
        }
        whole.flip();
        parse = parse(whole, offset, frameLength);
        return parse instanceof Whole w ? new Found(w.frame()) : new Damaged(((Broken) parse).problem());
    }

    /** Overwrites a record's payload with zeros, then its magic with {@code erasedMagic}; the caller forces. */
    public void eraseAt(FileChannel ch, long offset, int payloadLength) throws IOException {
        if (erasedMagic == NO_MAGIC) {
            throw new IllegalStateException("this framing has no erased records");
        }
        FileIo.writeFully(ch, ByteBuffer.allocate(payloadLength), offset + headerBytes());
        FileIo.writeFully(ch, ByteBuffer.allocate(4).putInt(0, erasedMagic), offset);
    }
}
