package org.trapline.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory. The stores let the desk's commands read beside a running server
 * (H2 auto-server, a read-only index), so they cannot tell a second server from a reader: this lock,
 * held for the server's lifetime, does. The OS drops it if the process dies, even by kill -9.
 */
final class ServerLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ServerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static ServerLock acquire(Path dataDir) {
        Path file = dataDir.resolve(".server.lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new ServerLock(channel, lock);
            }
        } catch (OverlappingFileLockException held) {
            // held by another server in this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigurationException("cannot lock " + file + ": " + e.getMessage());
        }
        closeQuietly(channel);
        throw new ConfigurationException("data directory " + dataDir
                + " is in use by another running Trapline server; stop it or choose another --data");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
