package org.trapline.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.evidence.index.IndexFields;
import org.trapline.evidence.search.SearchHit;
import org.trapline.evidence.search.SearchResult;

class ReindexAndPurgeTest {
    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

    @TempDir
    Path data;

    static List<Path> corpus() throws IOException {
        Path root = Path.of(System.getProperty("trapline.repo", ".."), "..", "shared", "testdata", "messages");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    void recordCorpus(EvidenceStore store) throws IOException {
        List<Path> all = corpus();
        for (int i = 0; i < all.size(); i++) {
            TrapHit hit = TrapHit.of("c" + i, T0.plus(Duration.ofHours(i)), "a@b.example", List.of("t@trap.example.net"))
                    .withOrigin("198.51.100." + (i % 250), T0, "h").withAttribution("MATCHED", "sub" + (i % 4), "s" + i, "10.0.0.1");
            store.record(hit, Files.readAllBytes(all.get(i)));
        }
    }

    /** Every indexed term, doc value and stored field, per hit id: what "equal index" means here. */
    static Map<Long, TreeSet<String>> dump(Path indexDir) throws IOException {
        Map<Long, TreeSet<String>> out = new TreeMap<>();
        try (FSDirectory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir)) {
            for (LeafReaderContext ctx : reader.leaves()) {
                LeafReader leaf = ctx.reader();
                long[] idOf = new long[leaf.maxDoc()];
                NumericDocValues ids = leaf.getNumericDocValues(IndexFields.HIT_ID);
                for (int d = ids.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = ids.nextDoc()) {
                    idOf[d] = ids.longValue();
                    TreeSet<String> facts = out.computeIfAbsent(idOf[d], k -> new TreeSet<>());
                    leaf.storedFields().document(d).getFields()
                            .forEach(f -> facts.add("stored " + f.name() + "=" + f.stringValue()));
                }
                for (FieldInfo fi : leaf.getFieldInfos()) {
                    if (fi.getIndexOptions() != IndexOptions.NONE) {
                        Terms terms = leaf.terms(fi.name);
                        if (terms == null) {
                            continue;
                        }
                        TermsEnum te = terms.iterator();
                        BytesRef term;
                        while ((term = te.next()) != null) {
                            PostingsEnum pe = te.postings(null, PostingsEnum.FREQS);
                            for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
                                if (leaf.getLiveDocs() == null || leaf.getLiveDocs().get(d)) {
                                    out.get(idOf[d]).add(fi.name + ":" + term.utf8ToString() + "x" + pe.freq());
                                }
                            }
                        }
                    }
                    if (fi.getPointDimensionCount() > 0) {
                        out.values().forEach(s -> s.add("points " + fi.name));
                    }
                }
                var subs = leaf.getSortedDocValues(IndexFields.SUBSCRIBER);
                if (subs != null) {
                    for (int d = subs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = subs.nextDoc()) {
                        out.get(idOf[d]).add("dv subscriber " + subs.lookupOrd(subs.ordValue()).utf8ToString());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void rebuiltIndexEqualsTheOriginal() throws IOException {
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            recordCorpus(store);
        }
        Map<Long, TreeSet<String>> original = dump(data.resolve("index"));
        assertThat(original).hasSize(corpus().size());

        List<long[]> progress = new ArrayList<>();
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            long n = store.reindex((done, total) -> progress.add(new long[] {done, total}));
            assertThat(n).isEqualTo(corpus().size());
        }
        assertThat(progress).hasSize(corpus().size());
        assertThat(progress.get(progress.size() - 1)).containsExactly(corpus().size(), corpus().size());
        assertThat(dump(data.resolve("index"))).isEqualTo(original);
    }

    @Test
    void lostIndexIsRebuiltWhenTheStoreOpens() throws IOException {
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            recordCorpus(store);
        }
        Map<Long, TreeSet<String>> original = dump(data.resolve("index"));
        try (Stream<Path> files = Files.walk(data.resolve("index"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            store.refreshIndex();
            assertThat(store.search("", 1, 0).total()).isEqualTo(corpus().size());
        }
        assertThat(dump(data.resolve("index"))).isEqualTo(original);
    }

    /**
     * An index written by an older document layout (here: one document without the day field, committed
     * as layout 1) is emptied when the store opens and every hit indexed again from the stores.
     */
    @Test
    void anIndexOfAnOlderLayoutIsRebuiltWhenTheStoreOpens() throws IOException {
        long oldest;
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            recordCorpus(store);
            // Searches see what the last refresh made visible; without one the answer depends on the refresher's timing.
            store.refreshIndex();
            oldest = store.search("", corpus().size(), 0).hits().stream().mapToLong(SearchHit::id).min().orElseThrow();
        }
        try (FSDirectory dir = FSDirectory.open(data.resolve("index"));
             org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(dir,
                     new org.apache.lucene.index.IndexWriterConfig().setIndexSort(org.trapline.evidence.index.EvidenceIndex.NEWEST_FIRST))) {
            w.deleteAll();
            org.apache.lucene.document.Document old = new org.apache.lucene.document.Document();
            old.add(new org.apache.lucene.document.StringField(IndexFields.HIT_KEY, Long.toString(oldest),
                    org.apache.lucene.document.Field.Store.NO));
            old.add(new org.apache.lucene.document.NumericDocValuesField(IndexFields.HIT_ID, oldest));
            old.add(new org.apache.lucene.document.NumericDocValuesField(IndexFields.TIME, 0));
            w.addDocument(old);
            w.setLiveCommitData(Map.of(IndexFields.VERSION_KEY, "1").entrySet());
            w.commit();
        }
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            store.refreshIndex();
            SearchResult all = store.search("", 1, 1000);
            assertThat(all.total()).isEqualTo(corpus().size());
            assertThat(all.facets().days().stream().mapToLong(org.trapline.evidence.search.Facets.Count::count).sum())
                    .as("every hit, the oldest too, carries the new layout's day").isEqualTo(corpus().size());
        }
    }

    @Test
    void newHitIsSearchableWithinASecondWithoutAskingForARefresh() throws Exception {
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            store.refreshIndex();
            long id = store.record(TrapHit.of("nrt", Instant.now(), null, List.of("t@trap.example.net")),
                    "Subject: fresh\r\n\r\nsuddenly searchable sentence\r\n".getBytes()).hitId();
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            List<Long> found = List.of();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                found = store.search("\"suddenly searchable\"", 5, 0).hits().stream().map(SearchHit::id).toList();
                Thread.sleep(20);
            }
            assertThat(found).containsExactly(id);
        }
    }

    @Test
    void retentionDropsRawBodiesButKeepsHitsAndMetadata() throws IOException {
        Instant now = RETENTION_NOW;
        EvidenceSettings settings = thirtyDayRetention();
        byte[] old = "Subject: old spam\r\n\r\nancient offer text\r\n".getBytes();
        byte[] fresh = "Subject: new spam\r\n\r\nrecent offer text\r\n".getBytes();
        byte[] shared = "Subject: shared\r\n\r\nsame bytes twice\r\n".getBytes();
        try (EvidenceStore store = EvidenceStore.open(data, Clock.fixed(now, ZoneOffset.UTC), settings)) {
            long oldId = store.record(TrapHit.of("old", now.minus(Duration.ofDays(40)), null, List.of("t@trap.example.net"))
                    .withAttribution("MATCHED", "carol", "s1", null).withOrigin("198.51.100.1", null, null), old).hitId();
            long freshId = store.record(TrapHit.of("new", now.minus(Duration.ofDays(2)), null, List.of("t@trap.example.net"))
                    .withAttribution("MATCHED", "carol", "s2", null), fresh).hitId();
            long sharedOld = store.record(TrapHit.of("shared-old", now.minus(Duration.ofDays(60)), null, List.of("t@trap.example.net")), shared).hitId();
            long sharedNew = store.record(TrapHit.of("shared-new", now.minus(Duration.ofDays(1)), null, List.of("t@trap.example.net")), shared).hitId();

            PurgeReport report = store.purgeExpiredRaw("retention-job");
            assertThat(report.hits()).isEqualTo(2);
            assertThat(report.rawMessagesErased()).isEqualTo(1); // the shared message is still needed by the newer hit

            StoredHit purged = store.find(oldId).orElseThrow();
            assertThat(purged.hasRaw()).isFalse();
            assertThat(purged.sha256()).isNotNull();
            assertThat(purged.hit().subscriber()).isEqualTo("carol");
            assertThat(store.raw(oldId)).isEmpty();
            assertThat(store.raw(freshId)).hasValue(fresh);
            assertThat(store.raw(sharedOld)).isEmpty();
            assertThat(store.raw(sharedNew)).hasValue(shared);

            store.refreshIndex();
            List<Long> carol = store.search("subscriber:carol", 10, 0).hits().stream().map(SearchHit::id).toList();
            assertThat(carol).containsExactly(freshId, oldId);
            assertThat(store.search("ancient", 10, 0).hits()).isEmpty();
            assertThat(store.search("subject:old", 10, 0).hits()).extracting(SearchHit::id).containsExactly(oldId);
            assertThat(store.search("recent", 10, 0).hits()).extracting(SearchHit::id).containsExactly(freshId);

            assertThat(store.journal(5)).first().satisfies(e -> {
                assertThat(e.action()).isEqualTo("RETENTION_PURGE");
                assertThat(e.actor()).isEqualTo("retention-job");
                assertThat(e.hits()).isEqualTo(2);
            });
            assertThat(store.purgeExpiredRaw("retention-job").hits()).isZero();
        }
    }

    @Test
    void staffPurgeOfOneHitDropsItsRawMessageKeepsTheRowAndIsJournaledWithTheReason() throws IOException {
        byte[] one = "Subject: one\r\n\r\nfirst body text\r\n".getBytes();
        byte[] two = "Subject: two\r\n\r\nsecond body text\r\n".getBytes();
        try (EvidenceStore store = EvidenceStore.open(data, Clock.fixed(RETENTION_NOW, ZoneOffset.UTC))) {
            long a = store.record(TrapHit.of("a", RETENTION_NOW, null, List.of("t@x")).withAttribution("MATCHED", "dora", "s1", null), one).hitId();
            long b = store.record(TrapHit.of("b", RETENTION_NOW, null, List.of("t@x")).withAttribution("MATCHED", "dora", "s1", null), two).hitId();

            PurgeReport report = store.purgeRaw(a, "staff:admin", "personal data of a third party").orElseThrow();
            assertThat(report.hits()).isEqualTo(1);
            assertThat(report.rawMessagesErased()).isEqualTo(1);
            StoredHit purged = store.find(a).orElseThrow();
            assertThat(purged.rawPurgedAt()).isEqualTo(RETENTION_NOW);
            assertThat(purged.sha256()).isNotNull();
            assertThat(store.raw(a)).isEmpty();
            assertThat(store.raw(b)).hasValue(two);
            store.refreshIndex();
            assertThat(store.search("first", 10, 0).hits()).isEmpty();
            assertThat(store.search("subject:one", 10, 0).hits()).extracting(SearchHit::id).containsExactly(a);
            assertThat(store.journal(1)).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("HIT_PURGE");
                assertThat(e.actor()).isEqualTo("staff:admin");
                assertThat(e.detail()).contains("personal data of a third party");
            });
            assertThat(store.purgeRaw(a, "staff:admin", "again").orElseThrow().hits()).as("purged already").isZero();
            assertThat(store.purgeRaw(999_999, "staff:admin", "x")).isEmpty();
        }
    }

    @Test
    void aPackWhoseMessagesWereAllPurgedIsDeleted() throws IOException {
        Instant now = RETENTION_NOW;
        EvidenceSettings settings = thirtyDayRetention();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        try (EvidenceStore store = EvidenceStore.open(data, clock, settings)) {
            for (int i = 0; i < 3; i++) {
                store.record(TrapHit.of("old-" + i, now.minus(Duration.ofDays(40)), null, List.of("t@trap.example.net")),
                        ("Subject: old " + i + "\r\n\r\nold body\r\n").getBytes());
            }
        }
        // Each open writes to a new pack: the old hits' pack is no longer written to.
        try (EvidenceStore store = EvidenceStore.open(data, clock, settings)) {
            long fresh = store.record(TrapHit.of("fresh", now.minus(Duration.ofDays(1)), null, List.of("t@trap.example.net")),
                    "Subject: fresh\r\n\r\nfresh body\r\n".getBytes()).hitId();
            assertThat(packs()).hasSize(2);
            assertThat(store.purgeExpiredRaw("retention-job").hits()).isEqualTo(3);
            assertThat(packs()).as("the pack of the purged hits is deleted").hasSize(1);
            assertThat(store.raw(fresh)).hasValue("Subject: fresh\r\n\r\nfresh body\r\n".getBytes());
            assertThat(store.journal(1).get(0).detail()).contains("packs deleted: 1");
        }
    }

    private static final Instant RETENTION_NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static EvidenceSettings thirtyDayRetention() {
        Properties conf = new Properties();
        conf.setProperty("evidence.retention.raw-days", "30");
        return EvidenceSettings.from(conf);
    }

    private List<Path> packs() throws IOException {
        try (var files = java.nio.file.Files.list(data.resolve("raw"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".pack")).toList();
        }
    }

    @Test
    void subscriberPurgeRemovesTheirHitsAndOnlyTheirRawFiles() throws IOException {
        byte[] mine = "Subject: dave only\r\n\r\ndave specific words\r\n".getBytes();
        byte[] shared = "Subject: shared\r\n\r\nshared words\r\n".getBytes();
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            store.record(TrapHit.of("d1", T0, null, List.of("t@trap.example.net")).withAttribution("MATCHED", "dave", "s", null), mine);
            store.record(TrapHit.of("d2", T0, null, List.of("t@trap.example.net")).withAttribution("MATCHED", "dave", "s", null), shared);
            long erin = store.record(TrapHit.of("e1", T0, null, List.of("t@trap.example.net"))
                    .withAttribution("MATCHED", "erin", "s", null), shared).hitId();

            PurgeReport report = store.purgeSubscriber("dave", "staff:jo", "GDPR request #12");
            assertThat(report.hits()).isEqualTo(2);
            assertThat(report.rawMessagesErased()).isEqualTo(1);
            assertThat(new String(EvidenceStoreTest.packBytes(data), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as("dave's own message is gone from the disk, the shared one is kept")
                    .doesNotContain("dave specific words").contains("shared words");
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.findByIntakeKey("d1")).isEmpty();
            assertThat(store.raw(erin)).hasValue(shared);
            store.refreshIndex();
            assertThat(store.search("subscriber:dave", 10, 0).total()).isZero();
            assertThat(store.search("dave", 10, 0).total()).isZero();
            assertThat(store.search("shared", 10, 0).hits()).extracting(SearchHit::id).containsExactly(erin);
            assertThat(store.caseSummary("dave").hits()).isZero();
            assertThat(store.journal(1).get(0)).satisfies(e -> {
                assertThat(e.action()).isEqualTo("SUBSCRIBER_PURGE");
                assertThat(e.target()).isEqualTo("dave");
                assertThat(e.actor()).isEqualTo("staff:jo");
                assertThat(e.detail()).contains("GDPR request #12");
            });
        }
    }

    @Test
    void caseSummaryGroupsByUtcDayAndSession() {
        byte[] m = "Subject: x\r\n\r\ny\r\n".getBytes();
        try (EvidenceStore store = EvidenceStore.open(data, Clock.systemUTC())) {
            store.record(TrapHit.of("a", Instant.parse("2026-11-01T23:59:00Z"), null, List.of("t@x"))
                    .withAttribution("MATCHED", "frank", "S1", "10.0.0.1"), m);
            store.record(TrapHit.of("b", Instant.parse("2026-11-02T00:01:00Z"), null, List.of("t@x"))
                    .withAttribution("MATCHED", "frank", "S1", "10.0.0.1"), m);
            store.record(TrapHit.of("c", Instant.parse("2026-11-02T08:00:00Z"), null, List.of("t@x"))
                    .withOrigin("198.51.100.7", null, null).withAttribution("MATCHED", "frank", "S2", "10.0.0.2"), m);
            store.record(TrapHit.of("d", Instant.parse("2026-11-02T08:00:00Z"), null, List.of("t@x"))
                    .withAttribution("MATCHED", "grace", "S3", "10.0.0.2"), m);
            CaseSummary c = store.caseSummary("frank");
            assertThat(c.hits()).isEqualTo(3);
            assertThat(c.first()).isEqualTo(Instant.parse("2026-11-01T23:59:00Z"));
            assertThat(c.last()).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
            assertThat(c.days()).containsExactly(new CaseSummary.Day(java.time.LocalDate.parse("2026-11-01"), 1),
                    new CaseSummary.Day(java.time.LocalDate.parse("2026-11-02"), 2));
            assertThat(c.sessions()).extracting(CaseSummary.Session::sessionId, CaseSummary.Session::address, CaseSummary.Session::hits)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("S1", null, 2L),
                            org.assertj.core.groups.Tuple.tuple("S2", "198.51.100.7", 1L));
        }
    }
}
