package org.trapline.evidence.search;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
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
     * @throws QuerySyntaxException when the query cannot be understood
     */
    public SearchResult search(String query, int limit, int topFacets) throws IOException {
        Query q = language.parse(query);
        List<String> words = language.freeWords(query);
        IndexSearcher searcher = index.acquire();
        try {
            int n = Math.max(1, limit);
            TopFieldDocs top = searcher.search(q, new TopFieldCollectorManager(EvidenceIndex.NEWEST_FIRST, n, null, n, false));
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
            Facets facets = topFacets > 0 ? searcher.search(q, new FacetCounter(topFacets)) : null;
            return new SearchResult(total, hits, facets);
        } finally {
            index.release(searcher);
        }
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

    /** Counts subscribers, URL hosts and origin IPs over every matching document. */
    private static final class FacetCounter implements CollectorManager<FacetCounter.PerThread, Facets> {
        private final int top;

        FacetCounter(int top) {
            this.top = top;
        }

        @Override
        public PerThread newCollector() {
            return new PerThread();
        }

        @Override
        public Facets reduce(Collection<PerThread> collectors) {
            Map<String, Long> subs = new HashMap<>();
            Map<String, Long> hosts = new HashMap<>();
            Map<String, Long> ips = new HashMap<>();
            for (PerThread c : collectors) {
                c.subscribers.forEach((k, v) -> subs.merge(k, v, Long::sum));
                c.hosts.forEach((k, v) -> hosts.merge(k, v, Long::sum));
                c.ips.forEach((k, v) -> ips.merge(k, v, Long::sum));
            }
            return new Facets(topOf(subs), topOf(hosts), topOf(ips));
        }

        private List<Facets.Count> topOf(Map<String, Long> counts) {
            return counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(top)
                    .map(e -> new Facets.Count(e.getKey(), e.getValue()))
                    .toList();
        }

        static final class PerThread implements Collector {
            final Map<String, Long> subscribers = new HashMap<>();
            final Map<String, Long> hosts = new HashMap<>();
            final Map<String, Long> ips = new HashMap<>();

            @Override
            public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
                SortedDocValues subs = DocValues.getSorted(context.reader(), IndexFields.SUBSCRIBER);
                SortedDocValues ipValues = DocValues.getSorted(context.reader(), IndexFields.ORIGIN_IP);
                SortedSetDocValues hostValues = DocValues.getSortedSet(context.reader(), IndexFields.URL_HOST);
                long[] subCounts = new long[(int) Math.max(0, subs.getValueCount())];
                long[] ipCounts = new long[(int) Math.max(0, ipValues.getValueCount())];
                long[] hostCounts = new long[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, hostValues.getValueCount()))];
                return new LeafCollector() {
                    @Override
                    public void setScorer(Scorable scorer) {
                    }

                    @Override
                    public void collect(int doc) throws IOException {
                        if (subs.advanceExact(doc)) {
                            subCounts[subs.ordValue()]++;
                        }
                        if (ipValues.advanceExact(doc)) {
                            ipCounts[ipValues.ordValue()]++;
                        }
                        if (hostValues.advanceExact(doc)) {
                            for (int i = 0; i < hostValues.docValueCount(); i++) {
                                hostCounts[(int) hostValues.nextOrd()]++;
                            }
                        }
                    }

                    @Override
                    public void finish() throws IOException {
                        merge(subCounts, subs, subscribers);
                        merge(ipCounts, ipValues, ips);
                        for (int ord = 0; ord < hostCounts.length; ord++) {
                            if (hostCounts[ord] > 0) {
                                hosts.merge(hostValues.lookupOrd(ord).utf8ToString(), hostCounts[ord], Long::sum);
                            }
                        }
                    }
                };
            }

            private static void merge(long[] counts, SortedDocValues values, Map<String, Long> into) throws IOException {
                for (int ord = 0; ord < counts.length; ord++) {
                    if (counts[ord] > 0) {
                        into.merge(values.lookupOrd(ord).utf8ToString(), counts[ord], Long::sum);
                    }
                }
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }
    }
}
