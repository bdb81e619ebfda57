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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.sql.StoreSettings;
import org.trapline.evidence.hit.H2Evidence;
import org.trapline.evidence.hit.PostgresEvidence;
import org.trapline.evidence.hit.HitRow;
import org.trapline.evidence.hit.HitStore;
import org.trapline.evidence.hit.JournalEntry;
import org.trapline.evidence.index.EvidenceIndex;
import org.trapline.evidence.index.HitDocuments;
import org.trapline.evidence.mime.MessageContent;
import org.trapline.evidence.mime.MessageReader;
import org.trapline.evidence.hit.RawCopy;
import org.trapline.evidence.raw.LegacyRawFiles;
import org.trapline.evidence.raw.RawLocation;
import org.trapline.evidence.raw.RawPacks;
import org.trapline.evidence.search.HitSearch;
import org.trapline.evidence.search.SearchCursor;
import org.trapline.evidence.search.SearchResult;

/**
 * The evidence store on one data directory: raw messages in pack files under {@code raw/} (each message
 * once, by SHA-256), hit metadata in the H2 database {@code evidence}, the search index under {@code index/}.
 *
 * <p>The trap MX's 250 waits for its spool, not for this store: the pipeline records each hit behind
 * it with {@link #recordDeferringSync}, and {@link #sync} flushes the packs and the database before the
 * spool lets go of those messages. {@link #record} also flushes before it returns, for writers without
 * a spool of their own. Both are idempotent by {@link TrapHit#intakeKey()}, so a spool replay after a
 * crash records each hit exactly once; when they throw {@link EvidenceException} nothing was recorded
 * and the spool keeps the message for a replay.
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
    private final RawPacks raw;
    private final HitStore hits;
    private final MessageReader reader;
    private final EvidenceIndex index;
    private final HitSearch search;
    /** Purges take it exclusively so that no record() can reuse a raw copy a purge is erasing. */
    private final ReadWriteLock purgeLock = new ReentrantReadWriteLock();
    private final CompletableFuture<Void> catchUp;

    private EvidenceStore(Path dataDir, Clock clock, EvidenceSettings settings, HitStore hits, EvidenceIndex index) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.settings = settings;
        this.raw = new RawPacks(dataDir.resolve("raw"));
        this.hits = hits;
        this.reader = new MessageReader(settings.mimeLimits());
        this.index = index;
        this.search = new HitSearch(index);
        this.catchUp = CompletableFuture.runAsync(this::catchUpIndex, runnable -> {
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
        return open(dataDir, clock, settings, StoreSettings.h2());
    }

    /**
     * Opens the store with its hits where {@code database} says (H2 in {@code dataDir}, or the shared
     * PostgreSQL database); raw messages and the index are files in {@code dataDir} either way.
     *
     * @throws EvidenceException when the directory, database or index cannot be opened
     */
    public static EvidenceStore open(Path dataDir, Clock clock, EvidenceSettings settings, StoreSettings database) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        Path dir = dataDir.toAbsolutePath().normalize();
        HitStore hits = null;
        EvidenceIndex index = null;
        try {
            Files.createDirectories(dir.resolve("raw"));
            // The database may write commits behind (H2 does): record() syncs before it returns, and sync()
            // before the pipeline's spooled copies of recordDeferringSync() hits are released.
            hits = database.embedded() ? H2Evidence.open(dir) : PostgresEvidence.open(database);
            try {
                index = new EvidenceIndex(dir.resolve("index"), settings.refreshInterval(), settings.commitInterval(),
                        settings.indexRamBufferMb());
            } catch (LockObtainFailedException e) {
                throw new IOException("the search index is in use by another process", e);
            }
            EvidenceStore store = new EvidenceStore(dir, clock, settings, hits, index);
            try {
                store.moveLegacyRawFiles();
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (IOException | RuntimeException e) {
            if (index != null) {
                index.close();
            }
            if (hits != null) {
                hits.close();
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
     * @throws EvidenceException when the hit could not be made durable (the caller keeps its copy)
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
     * the raw packs written to are fsynced and the database is checkpointed to disk.
     *
     * @throws EvidenceException when the flush fails (the caller keeps its spooled copies)
     */
    public void sync() {
        try {
            raw.sync();
            checkpoint();
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException("cannot flush evidence to disk in " + dataDir + ": " + e, e);
        }
    }

    /** Writes every committed transaction to the database file and fsyncs it. */
    private void checkpoint() {
        hits.syncToDisk();
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
                String sha = RawPacks.sha256(rawMessage);
                RawLocation at = keptCopy(sha, rawMessage, syncNow);
                MessageReader.Headline headline = reader.headline(rawMessage);
                HitRow row = new HitRow(hit, sha, at, rawMessage.length, headline.subject(), headline.messageId());
                Instant now = clock.instant();
                HitStore.Inserted inserted = hits.insertOnce(hit.id() != 0 ? hit.id() : hits.nextId(), row, now);
                if (!inserted.isNew()) {
                    // A replay. A power cut may have kept the row but lost the bytes it points at: then the
                    // copy just made is the one to keep.
                    Optional<RawCopy> kept = hits.rawCopy(inserted.id());
                    if (kept.isPresent() && !kept.get().at().equals(at) && !raw.intact(kept.get().at(), sha)) {
                        hits.moveRaw(inserted.id(), at);
                    }
                }
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
            // The hit is recorded from here on: an indexing failure must not fail the record (a replay
            // would be a no-op and the hit would never be indexed); the next open re-adds it.
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

    /**
     * Reserves the id of a hit not yet recorded, for the MX to write into the message's spool record before
     * its 250 (then {@link TrapHit#withId}): never handed out twice, also across crashes.
     */
    public long reserveHitId() {
        return hits.nextId();
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

    /**
     * Where the bytes of a new hit go: an intact copy of the same message if one is kept (each message is
     * stored once), else a new record in the packs (fsynced when {@code syncNow}).
     */
    private RawLocation keptCopy(String sha, byte[] rawMessage, boolean syncNow) throws IOException {
        Optional<RawLocation> kept = hits.keptCopy(sha);
        RawLocation at = kept.isPresent() && raw.intact(kept.get(), sha) ? kept.get() : raw.append(rawMessage, sha);
        if (syncNow) {
            // also when reusing: the kept copy may itself still wait for the next flush
            raw.sync();
        }
        return at;
    }

    /** The raw message of a hit, or empty when retention purged it (or the hit does not exist). */
    public Optional<byte[]> raw(long hitId) {
        Optional<RawCopy> copy = hits.rawCopy(hitId);
        if (copy.isEmpty()) {
            return Optional.empty();
        }
        try {
            return raw.read(copy.get().at(), copy.get().sha256());
        } catch (IOException e) {
            throw new EvidenceException("cannot read raw message of hit " + hitId + ": " + e.getMessage(), e);
        }
    }

    /** The decoded content of a hit's message (what the index saw), or empty when its raw body is gone. */
    public Optional<MessageContent> content(long hitId) {
        return raw(hitId).map(reader::read);
    }

    /** Every hit in id order, a page at a time. */
    public List<StoredHit> hits(long afterId, int limit) {
        return hits.page(afterId, limit);
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
        return search(query, limit, topFacets, null);
    }

    /**
     * The same, one page on: the hits after {@code after} ({@link SearchResult#next} of the page before;
     * null for the first page). The total still counts every match.
     */
    public SearchResult search(String query, int limit, int topFacets, SearchCursor after) {
        try {
            return search.search(query, limit, topFacets, after);
        } catch (IOException e) {
            throw new EvidenceException("search failed: " + e.getMessage(), e);
        }
    }

    /**
     * How many hits matching a desk query were recorded after hit {@code afterId} (the web desk's count of
     * new hits since a page was shown).
     *
     * @throws org.trapline.evidence.search.QuerySyntaxException when the query cannot be understood
     */
    public long countAfter(String query, long afterId) {
        try {
            return search.countAfter(query, afterId);
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
                    if (dropRaw(h.id(), () -> hits.markRawPurged(h.id(), now))) {
                        files++;
                    }
                    indexQuietly(new StoredHit(h.id(), h.hit(), h.sha256(), h.size(), h.subject(), h.messageId(),
                            h.recordedAt(), now));
                    purged++;
                }
            }
            int packs = deleteUnusedPacks();
            long journalId = hits.appendJournal(now, "RETENTION_PURGE", "received before " + cutoff, actor, purged,
                    "raw messages erased: " + files + "; packs deleted: " + packs);
            index.commit();
            return new PurgeReport(purged, files, journalId);
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException("retention purge failed after " + purged + " hits: " + e.getMessage(), e);
        } finally {
            purgeLock.writeLock().unlock();
        }
    }

    /**
     * Drops the raw message of one hit, as retention would, at staff's request: the hit row (hash, times,
     * subscriber, origin) and its index metadata stay, marked purged. Journaled with who asked and why.
     *
     * @return what was purged; empty for no such hit
     */
    public Optional<PurgeReport> purgeRaw(long hitId, String actor, String reason) {
        Objects.requireNonNull(actor, "actor");
        purgeLock.writeLock().lock();
        try {
            Optional<StoredHit> found = hits.find(hitId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            StoredHit h = found.get();
            Instant now = clock.instant();
            long files = 0;
            long purged = 0;
            if (h.rawPurgedAt() == null) {
                if (dropRaw(h.id(), () -> hits.markRawPurged(h.id(), now))) {
                    files++;
                }
                indexQuietly(new StoredHit(h.id(), h.hit(), h.sha256(), h.size(), h.subject(), h.messageId(), h.recordedAt(), now));
                purged++;
            }
            int packs = deleteUnusedPacks();
            long journalId = hits.appendJournal(now, "HIT_PURGE", "hit " + hitId, actor, purged,
                    "reason: " + (reason == null ? "" : reason) + "; raw messages erased: " + files + "; packs deleted: " + packs);
            index.commit();
            return Optional.of(new PurgeReport(purged, files, journalId));
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException("purge of hit " + hitId + " failed: " + e.getMessage(), e);
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
                    if (dropRaw(h.id(), () -> hits.delete(h.id()))) {
                        files++;
                    }
                    index.delete(h.id());
                    deleted++;
                }
            }
            int packs = deleteUnusedPacks();
            long journalId = hits.appendJournal(clock.instant(), "SUBSCRIBER_PURGE", subscriber, actor, deleted,
                    "reason: " + (reason == null ? "" : reason) + "; raw messages erased: " + files + "; packs deleted: " + packs);
            index.commit();
            return new PurgeReport(deleted, files, journalId);
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException("purge of subscriber " + subscriber + " failed after " + deleted + " hits: "
                    + e.getMessage(), e);
        } finally {
            purgeLock.writeLock().unlock();
        }
    }

    /**
     * Lets a hit go of its raw message ({@code dropRow} marks or deletes the row) and erases the bytes
     * when no other hit keeps the same copy. Row first: a crash in between leaves unreferenced bytes that
     * the next purge's pack deletion takes, never a row pointing at erased bytes. Returns whether it erased.
     */
    private boolean dropRaw(long hitId, Runnable dropRow) throws IOException {
        Optional<RawCopy> copy = hits.rawCopy(hitId);
        dropRow.run();
        return copy.isPresent() && !hits.rawStillNeeded(copy.get()) && raw.erase(copy.get().at(), copy.get().sha256());
    }

    /** Deletes the packs no hit needs any more. */
    private int deleteUnusedPacks() throws IOException {
        return raw.deletePacksExcept(hits.livePacks());
    }

    /**
     * Moves raw messages kept one file each by earlier versions into the packs, then removes those files.
     * Rows are pointed at their new copies and made durable before any file is removed, so a crash
     * part-way just does the rest at the next open.
     */
    private void moveLegacyRawFiles() throws IOException {
        LegacyRawFiles legacy = new LegacyRawFiles(dataDir.resolve("raw"));
        if (!legacy.present()) {
            return;
        }
        long moved = 0;
        long missing = 0;
        long after = 0;
        Map<Long, String> page;
        while (!(page = hits.withoutPack(after, 500)).isEmpty()) {
            for (var e : page.entrySet()) {
                after = e.getKey();
                Optional<byte[]> bytes = legacy.read(e.getValue());
                if (bytes.isEmpty()) {
                    missing++;
                    continue;
                }
                hits.moveRaw(e.getKey(), keptCopy(e.getValue(), bytes.get(), false));
                moved++;
            }
        }
        sync();
        legacy.removeAll();
        LOG.info("raw store: {} messages moved into packs{}", moved,
                missing == 0 ? "" : "; " + missing + " hits had no raw file left, so their raw bodies cannot be shown");
    }

    /** The newest journal entries (purges), newest first. */
    public List<JournalEntry> journal(int limit) {
        return hits.journal(limit);
    }

    private void indexQuietly(StoredHit stored) {
        MessageContent content = null;
        if (stored.hasRaw()) {
            try {
                content = raw(stored.id()).map(reader::read).orElse(null);
                if (content == null) {
                    LOG.warn("raw message {} of hit {} is missing; indexing its metadata only", stored.sha256(), stored.id());
                }
            } catch (RuntimeException e) {
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
            try {
                raw.close();
            } catch (IOException e) {
                LOG.warn("closing raw packs: {}", e.toString());
            } finally {
                hits.close();
            }
        }
    }
}
