package org.trapline.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.trapline.evidence.hit.HitRepository;
import org.trapline.evidence.hit.HitRow;
import org.trapline.evidence.hit.Journal;
import org.trapline.evidence.mime.MessageReader;
import org.trapline.evidence.raw.RawStore;

/**
 * The evidence store on one data directory: raw messages under {@code raw/}, hit metadata in the
 * H2 database {@code evidence}, the search index under {@code index/}.
 *
 * <p>{@link #record} is the trap MX's write path: when it returns, the raw bytes are fsynced and the
 * hit row is committed, so the SMTP side may answer 250; when it throws {@link EvidenceException}
 * nothing was acknowledged and the SMTP side answers 451. It is idempotent by
 * {@link TrapHit#intakeKey()}, so a spool replay after a crash records the hit exactly once.
 * Thread-safe.
 */
public final class EvidenceStore implements AutoCloseable {
    private final Path dataDir;
    private final Clock clock;
    private final RawStore raw;
    private final JdbcConnectionPool pool;
    private final HitRepository hits;
    private final Journal journal;
    private final MessageReader reader;

    private EvidenceStore(Path dataDir, Clock clock, RawStore raw, JdbcConnectionPool pool, MessageReader reader) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.raw = raw;
        this.pool = pool;
        Jdbi jdbi = Jdbi.create(pool);
        this.hits = new HitRepository(jdbi);
        this.journal = new Journal(jdbi);
        this.reader = reader;
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir}, migrating its database to the current
     * schema.
     *
     * @throws EvidenceException when the directory or database cannot be opened
     */
    public static EvidenceStore open(Path dataDir, Clock clock) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Path dir = dataDir.toAbsolutePath().normalize();
        JdbcConnectionPool pool = null;
        try {
            Files.createDirectories(dir.resolve("raw"));
            // WRITE_DELAY=0: a commit reaches the file before it returns, so a kill -9 right after a
            // 250 cannot lose the row (H2's default keeps commits in memory for up to 500 ms).
            pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("evidence") + ";WRITE_DELAY=0", "sa", "");
            pool.setMaxConnections(16);
            Flyway.configure().dataSource(pool).locations("classpath:db/evidence").load().migrate();
            return new EvidenceStore(dir, clock, new RawStore(dir.resolve("raw")), pool, new MessageReader());
        } catch (IOException | RuntimeException e) {
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

    /**
     * Records one trap hit with its raw message, once: the raw bytes are stored by SHA-256 (fsynced),
     * then the hit row is committed. A second call with the same intake key returns the existing
     * hit's id with {@code isNew == false} and writes nothing.
     *
     * @throws EvidenceException when the hit could not be made durable (answer 451)
     */
    public RecordResult record(TrapHit hit, byte[] rawMessage) {
        Objects.requireNonNull(hit, "hit");
        Objects.requireNonNull(rawMessage, "rawMessage");
        try {
            Optional<Long> existing = hits.idByIntakeKey(hit.intakeKey());
            if (existing.isPresent()) {
                return new RecordResult(existing.get(), false, RawStore.sha256(rawMessage));
            }
            String sha = raw.put(rawMessage);
            MessageReader.Headline headline = reader.headline(rawMessage);
            HitRepository.Inserted inserted = hits.insertOnce(
                    new HitRow(hit, sha, rawMessage.length, headline.subject(), headline.messageId()), clock.instant());
            return new RecordResult(inserted.id(), inserted.isNew(), sha);
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException("cannot record trap hit " + hit.intakeKey() + " in " + dataDir + ": " + e, e);
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

    @Override
    public void close() {
        pool.dispose();
    }
}
