package org.trapline.attribution.detail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.session.SessionStore;

/**
 * Follows a directory that FreeRADIUS's {@code detail} module writes to, importing records as they are
 * appended. Where each file was left is kept in the session store, so a restart resumes there; a file
 * that shrank (rotated in place) is read again from its start.
 */
public final class DetailWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DetailWatcher.class);

    private final DetailWatchSettings settings;
    private final DetailImporter importer;
    private final SessionStore store;
    private final LongAdder records = new LongAdder();
    private final LongAdder problems = new LongAdder();
    private ScheduledExecutorService timer;
    // Positions already read from the store: a directory of many old files costs no query per poll.
    private final java.util.Map<String, DetailReader.Position> positions = new java.util.HashMap<>();

    public DetailWatcher(DetailWatchSettings settings, DetailImporter importer, SessionStore store) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException(DetailWatchSettings.WATCH_DIR + " is empty: nothing to watch");
        }
        this.settings = settings;
        this.importer = importer;
        this.store = store;
    }

    /** Starts polling in a background thread (the first poll right away). */
    public synchronized void start() {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        if (!Files.isDirectory(settings.directory())) {
            log.warn("detail watch directory {} does not exist (yet); watching for it", settings.directory());
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "detail-watcher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
        log.info("following FreeRADIUS detail files in {}", settings.directory());
    }

    /** Stops after the poll under way, if any. */
    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdown();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Records imported since this watcher was made. */
    public long records() {
        return records.sum();
    }

    /** Records skipped as unreadable (each logged with file:line). */
    public long problems() {
        return problems.sum();
    }

    /** Imports whatever was appended since the last poll. Public for tests and for a forced refresh. */
    public synchronized void poll() throws IOException {
        if (!Files.isDirectory(settings.directory())) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(settings.directory())) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("detail")).sorted().toList();
        }
        for (Path file : files) {
            String key = file.toAbsolutePath().normalize().toString();
            long size = Files.size(file);
            DetailReader.Position from = positions.computeIfAbsent(key, k -> store.followedPosition(k)
                    .map(p -> new DetailReader.Position(p[0], p[1])).orElse(DetailReader.Position.START));
            if (size < from.offset()) {
                log.info("{} shrank below the imported position; reading it again from the start", file);
                from = DetailReader.Position.START;
            }
            if (size == from.offset()) {
                continue;
            }
            DetailImporter.Appended got = importer.importAppended(file, from, p -> log.warn("skipped detail record at {}", p));
            records.add(got.records());
            problems.add(got.problems());
            if (!got.next().equals(from)) {
                store.saveFollowedPosition(key, got.next().offset(), got.next().line());
            }
            positions.put(key, got.next());
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (IOException | RuntimeException e) {
            log.error("following detail files in {}: {}", settings.directory(), e.toString());
        }
    }
}
