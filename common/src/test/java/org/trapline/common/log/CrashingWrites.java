package org.trapline.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that writes until a shared byte budget runs out, writes part of the buffer that crosses
 * it, and then fails like a process killed mid-write: what reached the file stays, nothing more does.
 */
final class CrashingWrites extends FileChannel {
    private final FileChannel file;
    private final long[] written;
    private final long crashAfter;

    CrashingWrites(FileChannel file, long[] written, long crashAfter) {
        this.file = file;
        this.written = written;
        this.crashAfter = crashAfter;
    }

    private int budget(ByteBuffer src) throws IOException {
        long left = crashAfter - written[0];
        if (left <= 0) {
            throw new IOException("crash (test)");
        }
        return (int) Math.min(src.remaining(), left);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int n = budget(src);
        ByteBuffer part = src.duplicate().limit(src.position() + n);
        int done = file.write(part, position);
        src.position(src.position() + done);
        written[0] += done;
        return done;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int done = write(src, file.position());
        file.position(file.position() + done);
        return done;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return write(srcs[i]);
            }
        }
        return 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return file.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
