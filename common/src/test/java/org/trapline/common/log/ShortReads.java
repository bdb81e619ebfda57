package org.trapline.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Random;

/**
 * A file channel whose reads return fewer bytes than asked (at most a few, at random), as a network file
 * system or a signal may make them: whoever reads once instead of until full sees a torn record.
 */
final class ShortReads extends ForwardingChannel {
    private final Random random;
    private final int most;

    ShortReads(FileChannel file, long seed, int most) {
        super(file);
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
}
