package org.trapline.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.lucene.store.LockObtainFailedException;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.evidence.hit.HitInserter;
import org.trapline.evidence.hit.HitRepository;
import org.trapline.evidence.hit.HitRow;
import org.trapline.evidence.hit.Journal;
import org.trapline.evidence.index.EvidenceIndex;
import org.trapline.evidence.index.HitDocuments;
import org.trapline.evidence.mime.MessageContent;
import org.trapline.evidence.mime.MessageReader;
import org.trapline.evidence.raw.RawStore;
import org.trapline.evidence.search.HitSearch;
import org.trapline.evidence.search.SearchResult;

/**
 * The evidence store on one data directory: raw messages under {@code raw/}, hit metadata in the
 * H2 database {@code evidence}, the search index under {@code index/}.
 *
 * <p>{@link #record} is the trap MX's write path: when it returns, the raw bytes are fsynced and the
 * hit row is committed, so the SMTP side may answer 250; when it throws {@link EvidenceException}
 * nothing was acknowledged and the SMTP side answers 451. It is idempotent by
 * {@link TrapHit#intakeKey()}, so a spool replay after a crash records the hit exactly once.
 *
 * <p>The index is derived data. A hit is indexed right after its row is committed and becomes
 * searchable within {@link EvidenceSettings#refreshInterval()}; hits the index lacks after a crash
 * are added back by a background pass when the store opens, and {@link #reindex} rebuilds it all.
 * Thread-safe. One process at a time may open a data directory.
 */
public final class EvidenceStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceStore.class);

    /** Told how far a long operation has got. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);

        Progress NONE = (done, total) -> { };
    }

    private final Path dataDir;
    private final Clock clock;
    private final EvidenceSettings settings;
    private final RawStore raw;
    private final JdbcConnectionPool pool;
    private final Jdbi jdbi;
    private final HitRepository hits;
    private final HitInserter inserter;
    private final Journal journal;
    private final MessageReader reader;
    private final EvidenceIndex index;
    private final HitSearch search;
    /** Purges take it exclusively so that no record() can reuse a raw file a purge is deleting. */
    private final ReadWriteLock purgeLock = new ReentrantReadWriteLock();
    private final CompletableFuture<Void> catchUp;
    /** Raw files written by {@link #recordDeferringSync} and not yet fsynced. */
    private final Queue<String> unsynced = new ConcurrentLinkedQueue<>();

    private EvidenceStore(Path dataDir, Clock clock, EvidenceSettings settings, JdbcConnectionPool pool, EvidenceIndex index) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.settings = settings;
        this.raw = new RawStore(dataDir.resolve("raw"));
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        this.hits = new HitRepository(jdbi);
        this.inserter = new HitInserter(pool, hits);
        this.journal = new Journal(jdbi);
        this.reader = new MessageReader(settings.mimeLimits());
        this.index = index;
        this.search = new HitSearch(index);
        this.catchUp = index.isReadOnly() ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(this::catchUpIndex, runnable -> {
            Thread t = new Thread(runnable, "evidence-index-catch-up");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Opens the store with default settings; see {@link #open(Path, Clock, EvidenceSettings)}. */
    public static EvidenceStore open(Path dataDir, Clock clock) {
        return open(dataDir, clock, EvidenceSettings.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir}, migrating its database to the current
     * schema and opening the index.
     *
     * @throws EvidenceException when the directory, database or index cannot be opened
     */
    public static EvidenceStore open(Path dataDir, Clock clock, EvidenceSettings settings) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        Path dir = dataDir.toAbsolutePath().normalize();
        JdbcConnectionPool pool = null;
        EvidenceIndex index = null;
        try {
            Files.createDirectories(dir.resolve("raw"));
            // H2 writes commits behind (WRITE_DELAY default, 500 ms) instead of one ~32 KB chunk per commit:
            // record() flushes and fsyncs itself (CHECKPOINT SYNC) before it returns, and the pipeline's
            // recordDeferringSync() hits are flushed by sync() before their spooled copies are released,
            // so a kill -9 in between is covered by the spool's replay.
            // MAX_COMPACT_TIME lets close() compact the file.
            // AUTO_SERVER: the desk's commands can read while the server runs (the first opener serves the rest).
            pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("evidence")
                    + ";MAX_COMPACT_TIME=2000;AUTO_SERVER=TRUE", "sa", "");
            pool.setMaxConnections(16);
            Flyway.configure().loggers("slf4j").dataSource(pool).locations("classpath:db/evidence").load().migrate();
            try {
                index = new EvidenceIndex(dir.resolve("index"), settings.refreshInterval(), settings.commitInterval(),
                        settings.indexRamBufferMb());
            } catch (LockObtainFailedException serverHoldsIt) {
                // A running server writes the index; search what it has committed.
                index = EvidenceIndex.readOnly(dir.resolve("index"), settings.refreshInterval());
            }
            if (!index.isReadOnly()) {
                // The owner (no running server holds the index) brings older raw layouts up to date.
                int moved = new RawStore(dir.resolve("raw")).migrateTwoLevelLayout();
                if (moved > 0) {
                    LOG.info("raw store: {} messages moved to the one-level layout", moved);
                }
            }
            return new EvidenceStore(dir, clock, settings, pool, index);
        } catch (IOException | RuntimeException e) {
            if (index != null) {
                index.close();
            }
            if (pool != null) {
                pool.dispose();
            }
            throw new EvidenceException("cannot open evidence store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The data directory this store lives in. */
    public Path dataDir() {
        return dataDir;
    }

    /** The settings it was opened with. */
    public EvidenceSettings settings() {
        return settings;
    }

    /**
     * Records one trap hit with its raw message, once: the raw bytes are stored by SHA-256 (fsynced),
     * then the hit row is committed, then the hit is indexed. A second call with the same intake key
     * returns the existing hit's id with {@code isNew == false} and writes nothing.
     *
     * @throws EvidenceException when the hit could not be made durable (answer 451)
     */
    public RecordResult record(TrapHit hit, byte[] rawMessage) {
        return record(hit, rawMessage, true);
    }

    /**
     * Records like {@link #record(TrapHit, byte[])}, safe against a process crash (kill -9) when it
     * returns, but leaves the disk flush to the next {@link #sync()}: the SMTP pipeline records many
     * hits between two syncs and releases their spooled copies only after the sync, so a power loss
     * still loses nothing while hits no longer pay one fsync each.
     */
    public RecordResult recordDeferringSync(TrapHit hit, byte[] rawMessage) {
        return record(hit, rawMessage, false);
    }

    /**
     * Makes every hit recorded with {@link #recordDeferringSync} so far durable against power loss:
     * the raw files and their directories are fsynced and the database is checkpointed to disk.
     *
     * @throws EvidenceException when the flush fails (the caller keeps its spooled copies)
     */
    public void sync() {
        List<String> batch = new ArrayList<>();
        for (String sha; (sha = unsynced.poll()) != null; ) {
            batch.add(sha);
        }
        try {
            raw.sync(batch);
            checkpoint();
        } catch (IOException | RuntimeException e) {
            unsynced.addAll(batch);
            throw new EvidenceException("cannot flush evidence to disk in " + dataDir + ": " + e, e);
        }
    }

    /** Writes every committed transaction to the database file and fsyncs it. */
    private void checkpoint() {
        jdbi.useHandle(h -> h.execute("CHECKPOINT SYNC"));
    }

    private RecordResult record(TrapHit hit, byte[] rawMessage, boolean syncNow) {
        Objects.requireNonNull(hit, "hit");
        Objects.requireNonNull(rawMessage, "rawMessage");
        StoredHit stored;
        RecordResult result;
        // Held through indexing too, so that a purge never races a document back into the index.
        purgeLock.readLock().lock();
        try {
            try {
                // A replay after a power loss finds its row below, but the bytes must be (re)stored first.
                String sha = raw.put(rawMessage, syncNow);
                if (!syncNow) {
                    unsynced.add(sha);
                }
                MessageReader.Headline headline = reader.headline(rawMessage);
                HitRow row = new HitRow(hit, sha, rawMessage.length, headline.subject(), headline.messageId());
                Instant now = clock.instant();
                HitInserter.Inserted inserted = inserter.insertOnce(row, now);
                if (syncNow) {
                    checkpoint();
                }
                result = new RecordResult(inserted.id(), inserted.isNew(), sha);
                if (!inserted.isNew()) {
                    return result;
                }
                stored = new StoredHit(inserted.id(), hit, sha, rawMessage.length, headline.subject(), headline.messageId(), now, null);
            } catch (IOException | RuntimeException e) {
                throw new EvidenceException("cannot record trap hit " + hit.intakeKey() + " in " + dataDir + ": " + e, e);
            }
            // The hit is durable from here on: an indexing failure must not turn it into a 451 (the
            // replay would be a no-op and the hit would never be indexed); the next open re-adds it.
            try {
                index.put(stored.id(), HitDocuments.of(stored, reader.read(rawMessage)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("trap hit {} stored but not indexed (re-added at next open or by reindex): {}", stored.id(), e.toString());
            }
            return result;
        } finally {
            purgeLock.readLock().unlock();
        }
    }

    /** Number of hits recorded. */
    public long count() {
        return hits.count();
    }

    /** The hit with that id. */
    public Optional<StoredHit> find(long id) {
        return hits.find(id);
    }

    /** The hit recorded for that intake key. */
    public Optional<StoredHit> findByIntakeKey(String intakeKey) {
        return hits.findByIntakeKey(intakeKey);
    }

    /** The raw message of a hit, or empty when retention purged it (or the hit does not exist). */
    public Optional<byte[]> raw(long hitId) {
        Optional<StoredHit> hit = hits.find(hitId);
        if (hit.isEmpty() || !hit.get().hasRaw()) {
            return Optional.empty();
        }
        try {
            return raw.read(hit.get().sha256());
        } catch (IOException e) {
            throw new EvidenceException("cannot read raw message of hit " + hitId + ": " + e.getMessage(), e);
        }
    }

    /** The decoded content of a hit's message (what the index saw), or empty when its raw body is gone. */
    public Optional<MessageContent> content(long hitId) {
        return raw(hitId).map(reader::read);
    }

    /** One subscriber's hits, oldest first, a page at a time (for case exports). */
    public List<StoredHit> hitsOf(String subscriber, long afterId, int limit) {
        return hits.page(subscriber, afterId, limit);
    }

    /**
     * Runs a desk query (see {@link org.trapline.evidence.search.QueryLanguage}), newest first.
     *
     * @param topFacets values per facet to count over all matches; 0 for none
     * @throws org.trapline.evidence.search.QuerySyntaxException when the query cannot be understood
     */
    public SearchResult search(String query, int limit, int topFacets) {
        try {
            return search.search(query, limit, topFacets);
        } catch (IOException e) {
            throw new EvidenceException("search failed: " + e.getMessage(), e);
        }
    }

    /** Hits by day and by session for one subscriber (exact subscriber name). */
    public CaseSummary caseSummary(String subscriber) {
        return hits.caseSummary(subscriber);
    }

    /**
     * Waits until hits recorded so far (and any catch-up after opening) are searchable. Searches see
     * new hits on their own within the refresh interval; this is for tests and command-line tools.
     */
    public void refreshIndex() {
        try {
            catchUp.get();
            index.refresh();
        } catch (IOException e) {
            throw new EvidenceException("index refresh failed: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new EvidenceException("index catch-up failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvidenceException("interrupted while waiting for the index", e);
        }
    }

    /**
     * Rebuilds the index from the database and the raw store. Searches keep seeing the old index
     * until the rebuild is committed. Returns the number of hits indexed.
     */
    public long reindex(Progress progress) {
        refreshIndex();
        long total = hits.count();
        long[] done = {0};
        index.pauseRefresh();
        try {
            index.deleteAll();
            hits.forEach(stored -> {
                indexQuietly(stored);
                progress.update(++done[0], total);
            });
            index.commit();
        } catch (IOException e) {
            throw new EvidenceException("reindex failed: " + e.getMessage(), e);
        } finally {
            index.resumeRefresh();
        }
        return done[0];
    }

    /** Index size on disk in bytes. */
    public long indexBytes() {
        try {
            return index.sizeOnDisk();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Drops the raw bodies of hits older than the configured retention age; the hit rows (hash,
     * times, subscriber, origin) and their metadata in the index stay. Journaled.
     *
     * @return what was purged (nothing when retention is 0 = keep forever)
     */
    public PurgeReport purgeExpiredRaw(String actor) {
        Duration age = settings.rawRetention();
        if (age.isZero()) {
            return new PurgeReport(0, 0, -1);
        }
        return purgeRawOlderThan(clock.instant().minus(age), actor);
    }

    /** Drops the raw bodies of hits received before {@code cutoff}; see {@link #purgeExpiredRaw}. */
    public PurgeReport purgeRawOlderThan(Instant cutoff, String actor) {
        Objects.requireNonNull(actor, "actor");
        long purged = 0;
        long files = 0;
        purgeLock.writeLock().lock();
        try {
            Instant now = clock.instant();
            List<StoredHit> page;
            while (!(page = hits.withRawReceivedBefore(cutoff, 500)).isEmpty()) {
                for (StoredHit h : page) {
                    // Row first: a crash after this leaves an orphan file, never a row pointing nowhere.
                    hits.markRawPurged(h.id(), now);
                    if (!hits.rawStillNeeded(h.sha256()) && raw.delete(h.sha256())) {
                        files++;
                    }
                    indexQuietly(new StoredHit(h.id(), h.hit(), h.sha256(), h.size(), h.subject(), h.messageId(),
                            h.recordedAt(), now));
                    purged++;
                }
            }
            long journalId = journal.append(now, "RETENTION_PURGE", "received before " + cutoff, actor, purged,
                    "raw files deleted: " + files);
            index.commit();
            return new PurgeReport(purged, files, journalId);
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException("retention purge failed after " + purged + " hits: " + e.getMessage(), e);
        } finally {
            purgeLock.writeLock().unlock();
        }
    }

    /**
     * Removes everything kept about one subscriber (exact name): hit rows, index documents, and raw
     * messages no other hit shares. Journaled with who asked and why.
     */
    public PurgeReport purgeSubscriber(String subscriber, String actor, String reason) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(actor, "actor");
        long deleted = 0;
        long files = 0;
        purgeLock.writeLock().lock();
        try {
            List<StoredHit> page;
            while (!(page = hits.page(subscriber, 0, 500)).isEmpty()) {
                for (StoredHit h : page) {
                    hits.delete(h.id());
                    index.delete(h.id());
                    if (!hits.rawStillNeeded(h.sha256()) && raw.delete(h.sha256())) {
                        files++;
                    }
                    deleted++;
                }
            }
            long journalId = journal.append(clock.instant(), "SUBSCRIBER_PURGE", subscriber, actor, deleted,
                    "reason: " + (reason == null ? "" : reason) + "; raw files deleted: " + files);
            index.commit();
            return new PurgeReport(deleted, files, journalId);
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException("purge of subscriber " + subscriber + " failed after " + deleted + " hits: "
                    + e.getMessage(), e);
        } finally {
            purgeLock.writeLock().unlock();
        }
    }

    /** The newest journal entries (purges), newest first. */
    public List<Journal.Entry> journal(int limit) {
        return journal.recent(limit);
    }

    private void indexQuietly(StoredHit stored) {
        MessageContent content = null;
        if (stored.hasRaw()) {
            try {
                content = raw.read(stored.sha256()).map(reader::read).orElse(null);
                if (content == null) {
                    LOG.warn("raw message {} of hit {} is missing; indexing its metadata only", stored.sha256(), stored.id());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("raw message of hit {} unreadable ({}); indexing its metadata only", stored.id(), e.toString());
            }
        }
        try {
            index.put(stored.id(), HitDocuments.of(stored, content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Brings the index in line with the database after a crash or a lost index directory. */
    private void catchUpIndex() {
        try {
            long[] inDb = hits.allIds();
            long[] inIndex = index.indexedIds();
            long[] missing = Arrays.stream(inDb).filter(id -> Arrays.binarySearch(inIndex, id) < 0).toArray();
            long[] extra = Arrays.stream(inIndex).filter(id -> Arrays.binarySearch(inDb, id) < 0).toArray();
            for (long id : extra) {
                index.delete(id);
            }
            for (int i = 0; i < missing.length; i += 500) {
                hits.findAll(Arrays.copyOfRange(missing, i, Math.min(missing.length, i + 500))).forEach(this::indexQuietly);
            }
            if (missing.length > 0 || extra.length > 0) {
                LOG.info("evidence index caught up: {} hits added, {} stale documents removed", missing.length, extra.length);
                index.commit();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("evidence index catch-up failed (run reindex): {}", e.toString());
            throw new EvidenceException("index catch-up failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            catchUp.get();
        } catch (ExecutionException e) {
            // already logged
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            index.close();
        } finally {
            inserter.close();
            pool.dispose();
        }
    }
}
