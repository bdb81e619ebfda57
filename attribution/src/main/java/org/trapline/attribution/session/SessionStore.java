package org.trapline.attribution.session;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.trapline.common.net.IpAddress;
import org.trapline.common.sql.StoreSettings;

/**
 * The session store: FreeRADIUS-compatible {@code radacct} rows, kept correct whatever order accounting
 * records arrive in, and the lookups attribution and enforcement make of them. {@link #apply(List)} is the
 * only writer and returns once the records are committed: visible to every reader, though perhaps not yet
 * forced to the disk; nothing is lost by that because every writer can replay what it wrote: RADIUS
 * accounting is acknowledged from the accounting journal, whose position is committed with the rows (see
 * {@link #applyJournal}), and detail files are followed from positions saved after their rows.
 * {@link #syncToDisk()} forces what is committed before a replayable source goes.
 *
 * <p>This is the contract; how a dialect keeps it (its SQL, its schema, its ways of indexing) is
 * {@link SqlSessionStore} with the dialect's resources, {@code sql/sessions/<dialect>.sql} and
 * {@code db/sessions/<dialect>/}; H2's is {@link H2Sessions}, PostgreSQL's {@link PostgresSessions}. Thread-safe.
 */
public interface SessionStore extends AutoCloseable {
    /** Directory under the data dir holding the store's files. */
    String DIRECTORY = "sessions";

    /**
     * Opens (creating and migrating as needed) the store in {@code <dataDir>/sessions}; see
     * {@link H2Sessions#open}.
     */
    static SessionStore open(Path dataDir) {
        return H2Sessions.open(dataDir);
    }

    /**
     * Opens (creating and migrating as needed) the store where {@code store} says: H2 in
     * {@code <dataDir>/sessions}, or the shared PostgreSQL database ({@link PostgresSessions}).
     */
    static SessionStore open(Path dataDir, StoreSettings store) {
        return store.embedded() ? H2Sessions.open(dataDir) : PostgresSessions.open(store);
    }

    /** A store in memory only, for tests and benchmarks. */
    static SessionStore inMemory(String name) {
        return H2Sessions.inMemory(name);
    }

    /**
     * Trapline's acctuniqueid: {@code "<NAS-IP-Address> <Acct-Session-Id>"}. A NAS names a session by
     * Acct-Session-Id, unique per NAS (RFC 2866). FreeRADIUS's own Acct-Unique-Session-Id hashes
     * attributes that some records of one session lack (NAS-Port), so it is not used; and a readable,
     * mostly increasing key keeps inserts into its unique index local, where a hash would touch a
     * random index page per session.
     */
    static String uniqueId(String nasIpAddress, String acctSessionId) {
        return nasIpAddress + " " + acctSessionId;
    }

    /** Applies one record; see {@link #apply(List)}. */
    default void apply(AccountingEvent event) {
        apply(List.of(event));
    }

    /**
     * Applies records in the order given, in one transaction, and returns after the commit. Records
     * that carry no session (Accounting-On/Off) close the NAS's sessions that had no record after them.
     */
    void apply(List<AccountingEvent> events);

    /**
     * Applies journaled records like {@link #apply(List)} and records, in the same transaction, that the
     * journal named {@code journal} is applied up to {@code position}; so after a crash the records
     * after the stored position, and only those, are applied again. {@code events} may be empty.
     */
    void applyJournal(List<AccountingEvent> events, String journal, long position);

    /** How far the named journal has been applied ({@link #applyJournal}); 0 when never. */
    long journalPosition(String journal);

    /** Writes what is committed to the file and forces it to the disk (before a replayable source is deleted). */
    void syncToDisk();

    /**
     * Starts a bulk load: records folded into their sessions in memory and written in large
     * transactions; see {@link SessionBulkLoad}. For big imports; {@link #apply(List)} remains the path
     * for records that must be committed before they are acknowledged. Holds a connection until closed.
     */
    SessionBulkLoad bulkLoad(SessionBulkLoad.Limits limits);

    /**
     * What decides whether a session covers an instant, for every session that used this IPv4 address
     * (or IPv6 address / prefix containing it) and started no later than {@code startedBy}, newest
     * first, at most {@code limit}. Read from the lookup indexes alone; {@link #sessions} then fetches
     * the few that matter.
     */
    List<SessionSpan> spans(IpAddress address, Instant startedBy, int limit);

    /** The sessions with these radacctids, newest start first. */
    List<Session> sessions(List<Long> radAcctIds);

    /**
     * Sessions that used this IPv4 address (or IPv6 address / prefix containing it) and started no
     * later than {@code startedBy}, newest first, at most {@code limit}.
     */
    default List<Session> candidates(IpAddress address, Instant startedBy, int limit) {
        return sessions(spans(address, startedBy, limit).stream().map(SessionSpan::radAcctId).toList());
    }

    /**
     * The subscriber's newest session that has no Stop: where a CoA for them goes now (a NAK 503 for an
     * older session is re-targeted here). Whether it is still alive is the lookup's call (grace).
     */
    Optional<Session> newestOpenSession(String userName);

    /** The session a NAS knows by this Acct-Session-Id, if any record of it arrived. */
    Optional<Session> find(String nasIpAddress, String acctSessionId);

    /**
     * Where a follower of a file (the detail watcher) stopped: {@code [byteOffset, lineNumber]}, or empty
     * if it never read that file.
     */
    Optional<long[]> followedPosition(String path);

    /** Records how far a file has been imported (after its records were applied). */
    void saveFollowedPosition(String path, long byteOffset, long lineNumber);

    /** Number of sessions stored. */
    long count();

    @Override
    void close();
}
