package org.trapline.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One process at a time owns a data directory: a running server, or a command run while none does. The
 * owner holds this lock for as long as it has the stores open; the OS drops it when the process dies,
 * even by kill -9. Everyone else asks the owner over its control socket.
 */
public final class DataDirLock implements AutoCloseable {
    static final String FILE = ".server.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another process (or another owner in this JVM) holds it. */
    public static Optional<DataDirLock> tryAcquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new DataDirLock(channel, lock));
            }
        } catch (OverlappingFileLockException heldInThisJvm) {
            // another owner in this JVM (tests run servers in-process)
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigurationException("cannot lock " + file + ": " + e.getMessage());
        }
        closeQuietly(channel);
        return Optional.empty();
    }

    /** Whether some process owns the data directory now (without taking it). */
    public static boolean isHeld(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            return false;
        }
        Optional<DataDirLock> probe = tryAcquire(dataDir);
        probe.ifPresent(DataDirLock::close);
        return probe.isEmpty();
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
