package org.trapline.server.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;

import org.trapline.server.ConfigurationException;
import org.trapline.server.DataAccess;
import org.trapline.server.DataDirLock;
import org.trapline.server.Instance;
import org.trapline.server.LocalData;

/**
 * A command run in its own process: settings from its conf directory, stores opened by this process
 * under the data directory's lock (handed in by {@code Main} once it found no server to ask, or taken
 * here on first use), closed with {@link #close}.
 */
public final class LocalContext implements CommandContext, AutoCloseable {
    private final Clock clock;
    private final InputStream stdin;
    private final OutputStream stdout;
    private DataDirLock lock;
    private Properties settings;
    private LocalData data;

    public LocalContext(Clock clock, InputStream stdin, OutputStream stdout, Optional<DataDirLock> lock) {
        this.clock = clock;
        this.stdin = stdin;
        this.stdout = stdout;
        this.lock = lock.orElse(null);
    }

    @Override
    public synchronized Properties settings(Instance instance) {
        if (settings == null) {
            settings = instance.settings();
        }
        return settings;
    }

    @Override
    public synchronized DataAccess data(Instance instance) {
        if (data == null) {
            instance.requireDataDir();
            if (lock == null) {
                lock = DataDirLock.tryAcquire(instance.dataDir()).orElseThrow(() -> new ConfigurationException(
                        "data directory " + instance.dataDir() + " is in use by a running Trapline server; run the command "
                                + "through bin/trapline, which asks that server"));
            }
            data = new LocalData(instance, settings(instance), clock, lock);
        }
        return data;
    }

    @Override
    public InputStream stdin() {
        return stdin;
    }

    @Override
    public OutputStream stdout() {
        return stdout;
    }

    @Override
    public boolean insideServer() {
        return false;
    }

    @Override
    public synchronized void close() {
        if (data != null) {
            data.close();
        } else if (lock != null) {
            lock.close();
        }
    }
}
