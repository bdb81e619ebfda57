package org.trapline.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whole-buffer reads and writes at a file position. {@link FileChannel}'s calls may move fewer bytes than
 * asked, so a record store that read once could take a short read for a torn record.
 */
public final class FileIo {
    private FileIo() {
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

    /** Writes all the buffers at the channel's own position, however few bytes each call takes. */
    public static void writeFully(FileChannel ch, ByteBuffer[] buffers) throws IOException {
        long length = 0;
        for (ByteBuffer b : buffers) {
            length += b.remaining();
        }
        for (long written = 0; written < length; ) {
            written += ch.write(buffers);
        }
    }

    /**
     * Makes a directory's entries durable (a created or deleted file's name survives a power cut). A file
     * system that cannot open a directory for sync is tolerated: the entry is there, only not forced.
     */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Creates or replaces a file with these bytes and forces it to disk (not its directory entry). */
    public static void writeDurably(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, bytes, 0);
            ch.force(true);
        }
    }

    /** Appends bytes to a file, creating it, and forces it to disk. */
    public static void appendDurably(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            writeFully(ch, bytes, ch.size());
            ch.force(true);
        }
    }
}
