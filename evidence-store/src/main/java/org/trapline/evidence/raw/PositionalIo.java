package org.trapline.evidence.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Whole-buffer reads and writes at a file position. {@link FileChannel}'s positional calls may move fewer
 * bytes than asked; the record stores (raw packs, the SMTP spool journal) need all or a clear short count.
 */
public final class PositionalIo {
    private PositionalIo() {
    }

    /** Reads until the buffer is full or the file ends; returns the bytes read (short only at the end). */
    public static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Writes the whole buffer at the position. */
    public static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
    }
}
