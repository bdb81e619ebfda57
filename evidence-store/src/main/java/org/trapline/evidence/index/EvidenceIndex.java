package org.trapline.evidence.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of trap hits: one document per hit, keyed by hit id, sorted newest first on disk
 * so newest-first searches stop early. Near real time: a background thread reopens the searcher
 * every {@code refreshInterval}, so a recorded hit is searchable within that time; commits happen
 * every {@code commitInterval} and on close. The index is derived data: anything lost in a crash is
 * found missing and re-added by the store when it opens.
 */
public final class EvidenceIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceIndex.class);
    /** On-disk order: newest first, so top-N newest-first queries can terminate early. */
    public static final Sort NEWEST_FIRST = new Sort(new SortField(IndexFields.TIME, SortField.Type.LONG, true),
            new SortField(IndexFields.HIT_ID, SortField.Type.LONG, true));

    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ScheduledExecutorService background;
    private final AtomicInteger refreshPauses = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    public EvidenceIndex(Path dir, Duration refreshInterval, Duration commitInterval, double ramBufferMb) throws IOException {
        this.directory = FSDirectory.open(dir);
        IndexWriterConfig config = new IndexWriterConfig(new EvidenceAnalyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setIndexSort(NEWEST_FIRST)
                .setRAMBufferSizeMB(ramBufferMb);
        IndexWriter w;
        try {
            w = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        this.writer = w;
        boolean existed = DirectoryReader.indexExists(directory);
        String version = existed ? versionOf(writer) : null;
        stampVersion();
        if (!existed) {
            // An empty first commit: a reader opened before the first hit finds an index, not an error.
            writer.commit();
        } else if (!Integer.toString(IndexFields.VERSION).equals(version)) {
            // The stores keep the evidence; the store's catch-up at open indexes every hit again.
            if (writer.getDocStats().maxDoc > 0) {
                LOG.info("evidence index {} has layout {} (this version writes {}): emptying it, every hit is indexed again "
                        + "from the stores in the background", dir, version == null ? "1" : version, IndexFields.VERSION);
                writer.deleteAll();
                stampVersion();
            }
            writer.commit();
        }
        this.searchers = new SearcherManager(writer, null);
        this.background = refreshing(refreshInterval);
        long commitMs = Math.max(100, commitInterval.toMillis());
        background.scheduleWithFixedDelay(this::commitQuietly, commitMs, commitMs, TimeUnit.MILLISECONDS);
    }

    /** Every later commit records that it holds documents of this layout. */
    private void stampVersion() {
        writer.setLiveCommitData(Map.of(IndexFields.VERSION_KEY, Integer.toString(IndexFields.VERSION)).entrySet());
    }

    /** The layout version the last commit recorded, or null for an index from before versions were kept. */
    private static String versionOf(IndexWriter writer) {
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        if (data != null) {
            for (Map.Entry<String, String> e : data) {
                if (IndexFields.VERSION_KEY.equals(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** The background thread, already refreshing searches every {@code refreshInterval}. */
    private ScheduledExecutorService refreshing(Duration refreshInterval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "evidence-index-refresh");
            t.setDaemon(true);
            return t;
        });
        long refreshMs = Math.max(10, refreshInterval.toMillis());
        executor.scheduleWithFixedDelay(this::refreshQuietly, refreshMs, refreshMs, TimeUnit.MILLISECONDS);
        return executor;
    }

    private IndexWriter writer() {
        return writer;
    }

    /** Adds or replaces the document of a hit. */
    public void put(long hitId, Document doc) throws IOException {
        writer().updateDocument(new Term(IndexFields.HIT_KEY, Long.toString(hitId)), doc);
    }

    /** Adds a document known to be absent (bulk rebuilds): cheaper than {@link #put}. */
    public void add(Document doc) throws IOException {
        writer().addDocument(doc);
    }

    public void delete(long hitId) throws IOException {
        writer().deleteDocuments(new Term(IndexFields.HIT_KEY, Long.toString(hitId)));
    }

    public void deleteAll() throws IOException {
        writer().deleteAll();
        stampVersion();
    }

    /** Makes everything written so far durable and visible to new searches. */
    public void commit() throws IOException {
        writer().commit();
        searchers.maybeRefreshBlocking();
    }

    /** Makes everything written so far visible to searches (not necessarily durable). */
    public void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    /**
     * Keeps searches on the current view until {@link #resumeRefresh()}: a rebuild swaps the index
     * content in one step instead of showing a half-built index.
     */
    public void pauseRefresh() {
        refreshPauses.incrementAndGet();
    }

    public void resumeRefresh() {
        refreshPauses.decrementAndGet();
    }

    /** A searcher to use and then give back with {@link #release}. */
    public IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    public void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** Hit ids of every document in the latest view, ascending. */
    public long[] indexedIds() throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher s = searchers.acquire();
        try {
            long[] ids = new long[s.getIndexReader().numDocs()];
            int n = 0;
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                NumericDocValues values = leaf.reader().getNumericDocValues(IndexFields.HIT_ID);
                if (values == null) {
                    continue;
                }
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                    if ((live == null || live.get(doc)) && n < ids.length) {
                        ids[n++] = values.longValue();
                    }
                }
            }
            long[] out = java.util.Arrays.copyOf(ids, n);
            java.util.Arrays.sort(out);
            return out;
        } finally {
            searchers.release(s);
        }
    }

    /** Bytes the index takes on disk. */
    public long sizeOnDisk() throws IOException {
        long total = 0;
        for (String file : directory.listAll()) {
            try {
                total += directory.fileLength(file);
            } catch (java.nio.file.NoSuchFileException e) {
                // merged away while listing
            }
        }
        return total;
    }

    /** Merges down to few segments (after bulk loads). */
    public void forceMerge(int maxSegments) throws IOException {
        writer().forceMerge(maxSegments);
    }

    private void refreshQuietly() {
        if (refreshPauses.get() > 0) {
            return;
        }
        try {
            searchers.maybeRefresh();
        } catch (IOException | RuntimeException e) {
            LOG.warn("evidence index refresh failed: {}", e.toString());
        }
    }

    private void commitQuietly() {
        if (refreshPauses.get() > 0) {
            return;
        }
        try {
            if (writer.hasUncommittedChanges()) {
                writer.commit();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("evidence index commit failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Never interrupt: an interrupt during a Lucene write closes its file channel and leaves the
        // writer broken with nothing committed. shutdown() lets a running refresh or commit finish
        // and cancels the periodic ones.
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
