package org.trapline.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file channel that writes until a shared byte budget runs out, writes part of the buffer that crosses
 * it, and then fails like a process killed mid-write: what reached the file stays, nothing more does.
 */
final class CrashingWrites extends ForwardingChannel {
    private final long[] written;
    private final long crashAfter;

    CrashingWrites(FileChannel file, long[] written, long crashAfter) {
        super(file);
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
}
