package org.trapline.evidence.search;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.OrdinalMap;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.LongValues;
import org.apache.lucene.util.packed.PackedInts;
import org.trapline.evidence.index.EvidenceIndex;
import org.trapline.evidence.index.IndexFields;

/**
 * Runs desk queries against the evidence index: newest first, with exact totals and, on request,
 * facet counts over all matching hits.
 */
public final class HitSearch {
    private static final Set<String> RESULT_FIELDS = Set.of(IndexFields.SUBSCRIBER, IndexFields.ORIGIN_IP,
            IndexFields.TRAP, IndexFields.SUBJECT, IndexFields.SHA256, IndexFields.PREVIEW);
    private static final int SNIPPET_CHARS = 160;

    private final EvidenceIndex index;
    private final QueryLanguage language = new QueryLanguage();

    public HitSearch(EvidenceIndex index) {
        this.index = index;
    }

    /**
     * Runs a desk query.
     *
     * @param query      the query text (see {@link QueryLanguage}); blank matches everything
     * @param limit      most hits to return (newest first)
     * @param topFacets  how many values per facet to count and return; 0 for no facets
     * @param after      the page to continue, {@link SearchResult#next} of the page before; null for the first
     * @throws QuerySyntaxException when the query cannot be understood
     */
    public SearchResult search(String query, int limit, int topFacets, SearchCursor after) throws IOException {
        try {
            Query q = language.parse(query);
            List<String> words = language.freeWords(query);
            IndexSearcher searcher = index.acquire();
            try {
                return run(searcher, q, words, limit, topFacets, after);
            } finally {
                index.release(searcher);
            }
        } catch (IndexSearcher.TooManyClauses e) {
            // The language stays within Lucene's default limit; this is for a JVM that lowered it.
            throw new QuerySyntaxException("query has more terms than this index allows (" + IndexSearcher.getMaxClauseCount()
                    + "): narrow it, or split it into several searches");
        }
    }

    /**
     * How many hits matching a desk query arrived after hit {@code afterId}: hit ids grow with arrival,
     * so this counts what a page showing hits up to that id has not shown yet.
     *
     * @throws QuerySyntaxException when the query cannot be understood
     */
    public long countAfter(String query, long afterId) throws IOException {
        if (afterId == Long.MAX_VALUE) {
            return 0;
        }
        Query q = new BooleanQuery.Builder().add(language.parse(query), BooleanClause.Occur.MUST)
                .add(LongPoint.newRangeQuery(IndexFields.HIT_ID, afterId + 1, Long.MAX_VALUE),
                        BooleanClause.Occur.FILTER)
                .build();
        IndexSearcher searcher = index.acquire();
        try {
            return searcher.count(q);
        } finally {
            index.release(searcher);
        }
    }

    private SearchResult run(IndexSearcher searcher, Query q, List<String> words, int limit, int topFacets, SearchCursor after)
            throws IOException {
        // One more than the page, to know whether a next page exists.
        int n = limit + 1;
        TopFieldDocs top = searcher.search(q, new TopFieldCollectorManager(EvidenceIndex.NEWEST_FIRST, n, fieldDoc(after), n, false));
        long total = top.totalHits.relation == TotalHits.Relation.EQUAL_TO ? top.totalHits.value : searcher.count(q);
        List<SearchHit> hits = new ArrayList<>();
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc sd : top.scoreDocs) {
            if (hits.size() >= limit) {
                break;
            }
            FieldDoc fd = (FieldDoc) sd;
            Document d = stored.document(sd.doc, RESULT_FIELDS);
            hits.add(new SearchHit((Long) fd.fields[1], Instant.ofEpochMilli((Long) fd.fields[0]),
                    d.get(IndexFields.SUBSCRIBER), d.get(IndexFields.ORIGIN_IP), d.get(IndexFields.TRAP),
                    d.get(IndexFields.SUBJECT), d.get(IndexFields.SHA256), snippet(d.get(IndexFields.PREVIEW), words)));
        }
        Facets facets = topFacets > 0 ? facets(searcher, q, topFacets) : null;
        SearchHit last = hits.isEmpty() ? null : hits.get(hits.size() - 1);
        SearchCursor next = top.scoreDocs.length > limit && last != null ? new SearchCursor(last.time(), last.id()) : null;
        return new SearchResult(total, hits, facets, next);
    }

    /**
     * Where a page continues, by the sort values (time, id) of the last hit shown rather than by a
     * position: new hits arriving meanwhile sort before it and shift nothing. (time, id) is unique, so
     * the largest doc id makes the hit itself count as shown.
     */
    private static FieldDoc fieldDoc(SearchCursor after) {
        return after == null ? null : new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {after.time().toEpochMilli(), after.id()});
    }

    static String snippet(String preview, List<String> words) {
        if (preview == null || preview.isEmpty()) {
            return "";
        }
        String lower = preview.toLowerCase(Locale.ROOT);
        int at = -1;
        for (String w : words) {
            int i = lower.indexOf(w);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
            }
        }
        int start = at < 0 ? 0 : Math.max(0, at - SNIPPET_CHARS / 3);
        int end = Math.min(preview.length(), start + SNIPPET_CHARS);
        return (start > 0 ? "…" : "") + preview.substring(start, end) + (end < preview.length() ? "…" : "");
    }

    /**
     * Facet counts over every matching document. Counting is per global ordinal (one integer per
     * distinct value, mapped across segments with an {@link OrdinalMap} built once per index view),
     * and only the top values are ever turned into strings: origin IPs are nearly all distinct, so
     * building a string per distinct value would dominate the cost.
     */
    private Facets facets(IndexSearcher searcher, Query q, int top) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        FacetField subscribers = FacetField.of(reader, IndexFields.SUBSCRIBER, false, ordinalMaps);
        FacetField ips = FacetField.of(reader, IndexFields.ORIGIN_IP, false, ordinalMaps);
        FacetField hosts = FacetField.of(reader, IndexFields.URL_HOST, true, ordinalMaps);
        FacetField nets = FacetField.of(reader, IndexFields.ORIGIN_NET, false, ordinalMaps);
        FacetField trapDomains = FacetField.of(reader, IndexFields.TRAP_DOMAIN, true, ordinalMaps);
        FacetField statuses = FacetField.of(reader, IndexFields.STATUS, false, ordinalMaps);
        FacetField days = FacetField.of(reader, IndexFields.DAY, false, ordinalMaps);
        List<FacetField> all = List.of(subscribers, ips, hosts, nets, trapDomains, statuses, days);
        searcher.search(q, new CollectorManager<Collector, Void>() {
            @Override
            public Collector newCollector() {
                return new Collector() {
                    @Override
                    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
                        FacetField.Leaf[] leaves = new FacetField.Leaf[all.size()];
                        for (int k = 0; k < leaves.length; k++) {
                            leaves[k] = all.get(k).leaf(context);
                        }
                        return new LeafCollector() {
                            @Override
                            public void setScorer(Scorable scorer) {
                            }

                            @Override
                            public void collect(int doc) throws IOException {
                                for (FacetField.Leaf leaf : leaves) {
                                    leaf.count(doc);
                                }
                            }
                        };
                    }

                    @Override
                    public ScoreMode scoreMode() {
                        return ScoreMode.COMPLETE_NO_SCORES;
                    }
                };
            }

            @Override
            public Void reduce(Collection<Collector> collectors) {
                return null;
            }
        });
        // Days read as a calendar: the busiest ones, newest first.
        List<Facets.Count> byDay = new ArrayList<>(days.top(top));
        byDay.sort(Comparator.comparing(Facets.Count::value).reversed());
        return new Facets(subscribers.top(top), hosts.top(top), ips.top(top), nets.top(top), trapDomains.top(top),
                statuses.top(top), byDay);
    }

    /** Global ordinals of one facet field for one index view, cached until the view changes. */
    private final Map<String, Map.Entry<IndexReader.CacheKey, OrdinalMap>> ordinalMaps = new ConcurrentHashMap<>();

    /** Counts of one doc-values field over global ordinals. */
    private static final class FacetField {
        private final IndexReader reader;
        private final String field;
        private final boolean multiValued;
        private final OrdinalMap map;
        private final int[] counts;

        private FacetField(IndexReader reader, String field, boolean multiValued, OrdinalMap map, long valueCount) {
            this.reader = reader;
            this.field = field;
            this.multiValued = multiValued;
            this.map = map;
            this.counts = new int[(int) Math.min(valueCount, Integer.MAX_VALUE - 8)];
        }

        static FacetField of(IndexReader reader, String field, boolean multiValued,
                Map<String, Map.Entry<IndexReader.CacheKey, OrdinalMap>> cache) throws IOException {
            List<LeafReaderContext> leaves = reader.leaves();
            if (leaves.size() <= 1) {
                long count = leaves.isEmpty() ? 0 : valueCount(leaves.get(0), field, multiValued);
                return new FacetField(reader, field, multiValued, null, count);
            }
            IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
            IndexReader.CacheKey key = helper == null ? null : helper.getKey();
            Map.Entry<IndexReader.CacheKey, OrdinalMap> cached = cache.get(field);
            OrdinalMap map;
            if (key != null && cached != null && cached.getKey() == key) {
                map = cached.getValue();
            } else {
                map = build(key, leaves, field, multiValued);
                if (key != null) {
                    cache.put(field, Map.entry(key, map));
                }
            }
            return new FacetField(reader, field, multiValued, map, map.getValueCount());
        }

        private static long valueCount(LeafReaderContext leaf, String field, boolean multiValued) throws IOException {
            return multiValued ? DocValues.getSortedSet(leaf.reader(), field).getValueCount()
                    : DocValues.getSorted(leaf.reader(), field).getValueCount();
        }

        private static OrdinalMap build(IndexReader.CacheKey key, List<LeafReaderContext> leaves, String field, boolean multiValued)
                throws IOException {
            if (multiValued) {
                SortedSetDocValues[] values = new SortedSetDocValues[leaves.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = DocValues.getSortedSet(leaves.get(i).reader(), field);
                }
                return OrdinalMap.build(key, values, PackedInts.DEFAULT);
            }
            SortedDocValues[] values = new SortedDocValues[leaves.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = DocValues.getSorted(leaves.get(i).reader(), field);
            }
            return OrdinalMap.build(key, values, PackedInts.DEFAULT);
        }

        /** Counting for one segment. */
        interface Leaf {
            void count(int doc) throws IOException;
        }

        Leaf leaf(LeafReaderContext context) throws IOException {
            LongValues toGlobal = map == null ? LongValues.IDENTITY : map.getGlobalOrds(context.ord);
            if (multiValued) {
                SortedSetDocValues v = DocValues.getSortedSet(context.reader(), field);
                return doc -> {
                    if (v.advanceExact(doc)) {
                        for (int k = 0; k < v.docValueCount(); k++) {
                            counts[(int) toGlobal.get(v.nextOrd())]++;
                        }
                    }
                };
            }
            SortedDocValues v = DocValues.getSorted(context.reader(), field);
            return doc -> {
                if (v.advanceExact(doc)) {
                    counts[(int) toGlobal.get(v.ordValue())]++;
                }
            };
        }

        /** The most frequent values, biggest first; ties in value order. */
        List<Facets.Count> top(int n) throws IOException {
            PriorityQueue<long[]> best = new PriorityQueue<>(n + 1,
                    Comparator.<long[]>comparingLong(e -> e[1]).thenComparing(e -> -e[0]));
            for (int ord = 0; ord < counts.length; ord++) {
                int c = counts[ord];
                if (c > 0 && (best.size() < n || c > best.peek()[1])) {
                    best.add(new long[] {ord, c});
                    if (best.size() > n) {
                        best.poll();
                    }
                }
            }
            List<Facets.Count> out = new ArrayList<>();
            while (!best.isEmpty()) {
                long[] e = best.poll();
                out.add(new Facets.Count(lookup(e[0]), e[1]));
            }
            java.util.Collections.reverse(out);
            return out;
        }

        private String lookup(long globalOrd) throws IOException {
            int segment = map == null ? 0 : map.getFirstSegmentNumber(globalOrd);
            long segmentOrd = map == null ? globalOrd : map.getFirstSegmentOrd(globalOrd);
            LeafReaderContext leaf = reader.leaves().get(segment);
            BytesRef term = multiValued ? DocValues.getSortedSet(leaf.reader(), field).lookupOrd(segmentOrd)
                    : DocValues.getSorted(leaf.reader(), field).lookupOrd((int) segmentOrd);
            return term.utf8ToString();
        }
    }
}
