package org.trapline.attribution.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;

/**
 * Loads many accounting records (a big detail import) into the store. Each session's records are
 * folded into one row in memory before the store sees it, so a session whose Start, Interim-Updates
 * and Stop lie far apart in a file is written once instead of once per batch it appears in; rows are
 * written in large transactions. The rows come out as {@link SessionStore#apply(List)} would leave
 * them for the same records in the same order: a session the store already holds is merged with it,
 * and Accounting-On/Off closes open sessions of its NAS whether they are in memory or stored.
 *
 * <p>What was written is committed; what is still in memory when the process dies is lost, and
 * importing the same records again merges them into the stored rows without duplicating any (the
 * rows are keyed by acctuniqueid). Not thread-safe: one importer feeds it.
 */
public final class SessionBulkLoad implements AutoCloseable {
    /**
     * How much it holds in memory.
     *
     * @param openSessions sessions without a Stop kept in memory (a session that goes quiet longer
     *                     than that many other sessions' records is written and merged again later)
     * @param writeRows    rows per transaction
     */
    public record Limits(int openSessions, int writeRows) {
        public Limits {
            if (openSessions < 1 || writeRows < 1) {
                throw new IllegalArgumentException("bulk load limits must be positive: " + openSessions + ", " + writeRows);
            }
        }
    }

    private final SqlSessionStore store;
    /**
     * One connection for the whole load: H2 forgets the statements it parsed whenever a pooled connection
     * goes back to the pool (it rolls back), so a connection per transaction parsed every statement again,
     * the 512-key lookup included (measured: 5 % of the writer's time, and its compilation by the JIT).
     */
    private final Handle handle;
    private final Limits limits;
    /** Sessions without a Stop yet, least recently touched first. */
    private final LinkedHashMap<String, SessionRow> open = new LinkedHashMap<>(1024, 0.75f, true);
    /** Sessions whose Stop came, waiting for the next write. */
    private final Map<String, SessionRow> stopped = new LinkedHashMap<>();
    private final List<AccountingEvent> nasEvents = new ArrayList<>();
    private long records;

    SessionBulkLoad(SqlSessionStore store, Handle handle, Limits limits) {
        this.store = store;
        this.handle = handle;
        this.limits = limits;
    }

    /** Folds a record in; may write a batch of finished or long-quiet sessions. */
    public void add(AccountingEvent e) {
        records++;
        if (e.status().closesNas()) {
            nasEvents.add(e);
        } else if (e.status() != AccountingStatus.OTHER) {
            String id = SessionStore.uniqueId(e.nasIpAddress(), e.acctSessionId());
            SessionRow row = stopped.get(id);
            if (row == null) {
                row = open.get(id);
                if (row == null) {
                    row = new SessionRow(id, e.acctSessionId(), e.nasIpAddress());
                    open.put(id, row);
                }
            }
            row.merge(e);
            if (row.stopSeen && open.remove(id) != null) {
                stopped.put(id, row);
            }
        }
        if (stopped.size() >= limits.writeRows()) {
            writeBatch(stopped, limits.writeRows());
        }
        if (open.size() > limits.openSessions()) {
            writeBatch(open, Math.min(open.size(), limits.writeRows()));
        }
    }

    /** Folds records in, in order. */
    public void addAll(List<AccountingEvent> events) {
        for (AccountingEvent e : events) {
            add(e);
        }
    }

    /** Writes everything held in memory; returns once it is committed. */
    public void flush() {
        while (!stopped.isEmpty()) {
            writeBatch(stopped, limits.writeRows());
        }
        while (!open.isEmpty()) {
            writeBatch(open, limits.writeRows());
        }
        if (!nasEvents.isEmpty()) {
            write(List.of());
        }
    }

    /** Records folded in so far. */
    public long records() {
        return records;
    }

    /**
     * Lets the connection go. Records not written by {@link #flush()} before are dropped, as if the process
     * had ended: so a failed import ends without writing more.
     */
    @Override
    public void close() {
        handle.close();
    }

    /** Writes (and forgets) the first {@code n} rows of {@code from}, the oldest. */
    private void writeBatch(Map<String, SessionRow> from, int n) {
        List<SessionRow> batch = new ArrayList<>(Math.min(n, from.size()));
        Iterator<SessionRow> it = from.values().iterator();
        while (batch.size() < n && it.hasNext()) {
            batch.add(it.next());
        }
        write(batch);
        // Forgotten only once committed: a failed write leaves them in memory, to be written again.
        for (SessionRow r : batch) {
            from.remove(r.acctUniqueId);
        }
    }

    private void write(List<SessionRow> rows) {
        // Accounting-On/Off go with the next write, so rows already stored are closed in the same
        // transaction; rows still in memory are closed when they are written (the store knows the reboot).
        store.applyFolded(handle, rows, nasEvents);
        nasEvents.clear();
    }
}
