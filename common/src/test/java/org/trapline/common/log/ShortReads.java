package org.trapline.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Random;

/**
 * A file channel whose reads return fewer bytes than asked (at most a few, at random), as a network file
 * system or a signal may make them: whoever reads once instead of until full sees a torn record.
 */
final class ShortReads extends FileChannel {
    private final FileChannel file;
    private final Random random;
    private final int most;

    ShortReads(FileChannel file, long seed, int most) {
        this.file = file;
        this.random = new Random(seed);
        this.most = most;
    }

    static SegmentFiles.Opener opener(long seed, int most) {
        return (Path p, OpenOption... options) -> new ShortReads(FileChannel.open(p, options), seed, most);
    }

    private ByteBuffer shorter(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), 1 + random.nextInt(most));
        return dst.duplicate().limit(dst.position() + n);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        ByteBuffer part = shorter(dst);
        int n = file.read(part, position);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ByteBuffer part = shorter(dst);
        int n = file.read(part);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return file.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return file.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return file.write(src, position);
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
