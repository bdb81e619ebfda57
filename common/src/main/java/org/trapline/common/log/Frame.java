package org.trapline.common.log;

import java.nio.ByteBuffer;

/**
 * One intact record read from a segment. The buffers are views into the reader's buffer and valid only
 * until the reader moves on; copy what must be kept.
 *
 * @param offset  where the frame starts in its segment
 * @param length  the whole frame's length, header included
 * @param key     the fixed-size key in the header (empty when the framing has none)
 * @param payload the record's bytes
 * @param erased  the record was erased in place: its payload is zeros and no checksum was checked
 */
public record Frame(long offset, int length, ByteBuffer key, ByteBuffer payload, boolean erased) {
    /** The position right after this frame. */
    public long end() {
        return offset + length;
    }

    /** The key as a fresh array. */
    public byte[] keyBytes() {
        byte[] k = new byte[key.remaining()];
        key.duplicate().get(k);
        return k;
    }

    /** The payload as a fresh array. */
    public byte[] payloadBytes() {
        byte[] p = new byte[payload.remaining()];
        payload.duplicate().get(p);
        return p;
    }
}
