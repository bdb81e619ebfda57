package org.trapline.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trapline.evidence.search.Facets;
import org.trapline.evidence.search.QuerySyntaxException;
import org.trapline.evidence.search.SearchCursor;
import org.trapline.evidence.search.SearchHit;
import org.trapline.evidence.search.SearchResult;

/** The desk query language against a small, fully known set of hits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTest {
    @TempDir
    static Path data;
    EvidenceStore store;
    long pills;
    long watches;
    long phish;
    long invoice;
    long ipv6;

    static byte[] msg(String from, String to, String subject, String body) {
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    long add(String key, String time, String origin, String subscriber, String session, String trap, byte[] raw) {
        TrapHit hit = TrapHit.of(key, Instant.parse(time), "env@bounce.example", List.of(trap))
                .withClient("mx-client", "192.0.2.1")
                .withOrigin(origin, Instant.parse(time), "pc")
                .withAttribution(subscriber == null ? "NO_SESSION" : "MATCHED", subscriber, session, "10.0.0.1");
        return store.record(hit, raw).hitId();
    }

    @BeforeAll
    void fill() {
        store = EvidenceStore.open(data, Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC));
        pills = add("k1", "2026-11-18T10:00:00Z", "198.51.100.7", "alice", "s-a1", "sales@trap.example.net",
                msg("Pharmacy <pills@pharma.example>", "sales@trap.example.net", "Cheap pills online",
                        "Order cheap pills now at http://www.pharma.example/buy?x=1 best prices"));
        watches = add("k2", "2026-11-19T11:00:00Z", "198.51.100.200", "alice", "s-a2", "info@trap.example.net",
                msg("Watches <rolex@watch.example>", "info@trap.example.net", "Replica watches",
                        "Luxury replica watches, visit https://shop.watch.example/ now"));
        phish = add("k3", "2026-11-20T12:00:00Z", "203.0.113.9", "bob", "s-b1", "sales@trap.example.net",
                msg("Bank <security@bank.example>", "sales@trap.example.net", "Verify your account",
                        "Your account is locked. Log in at http://login.bank-secure.example/verify to restore access"));
        invoice = add("k4", "2026-11-21T13:00:00Z", "203.0.113.10", "bob", "s-b1", "billing@spamtrap.example.org",
                ("From: Billing <billing@invoices.example>\r\nTo: billing@spamtrap.example.org\r\nSubject: Invoice overdue\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"q\"\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\n"
                        + "See the attached invoice for cheap services\r\n--q\r\nContent-Type: application/pdf; name=\"invoice-4711.pdf\"\r\n"
                        + "Content-Disposition: attachment; filename=\"invoice-4711.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + "JVBERi0xLjQK\r\n--q--\r\n").getBytes(StandardCharsets.US_ASCII));
        ipv6 = add("k5", "2026-11-22T14:00:00Z", "2001:db8:42::1", null, null, "info@trap.example.net",
                msg("Anon <x@anon.example>", "info@trap.example.net", "Hello friend", "A friendly pills offer without attribution"));
        store.refreshIndex();
    }

    @AfterAll
    void close() {
        store.close();
    }

    List<Long> ids(String query) {
        return store.search(query, 100, 0).hits().stream().map(SearchHit::id).toList();
    }

    @Test
    void emptyQueryListsEverythingNewestFirst() {
        SearchResult r = store.search("", 3, 0);
        assertThat(r.total()).isEqualTo(5);
        assertThat(r.hits()).extracting(SearchHit::id).containsExactly(ipv6, invoice, phish);
    }

    @Test
    void pagesContinueAfterTheirCursorWithTheSameTotal() {
        SearchResult first = store.search("", 2, 0);
        assertThat(first.hits()).extracting(SearchHit::id).containsExactly(ipv6, invoice);
        assertThat(first.next()).isEqualTo(new SearchCursor(Instant.parse("2026-11-21T13:00:00Z"), invoice));
        SearchResult second = store.search("", 2, 0, SearchCursor.parse(first.next().toString()));
        assertThat(second.total()).isEqualTo(5);
        assertThat(second.hits()).extracting(SearchHit::id).containsExactly(phish, watches);
        SearchResult last = store.search("", 2, 10, second.next());
        assertThat(last.hits()).extracting(SearchHit::id).containsExactly(pills);
        assertThat(last.next()).as("the oldest match is on this page").isNull();
        assertThat(last.facets().subscribers()).as("facets count every match, not the page")
                .extracting(Facets.Count::value).containsExactly("alice", "bob");
        assertThat(store.search("", 5, 0).next()).as("exactly one full page").isNull();
        assertThat(store.search("", 0, 0).next()).as("a count, no page").isNull();
    }

    @Test
    void aCursorIsTextThatComesBack() {
        SearchCursor c = new SearchCursor(Instant.parse("2026-11-21T13:00:00.123Z"), 42);
        assertThat(c.toString()).isEqualTo("1795266000123.42");
        assertThat(SearchCursor.parse(c.toString())).isEqualTo(c);
        for (String bad : new String[] {"", "42", "1.2.3", "x.1", "99999999999999999999.1"}) {
            assertThatThrownBy(() -> SearchCursor.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a page cursor");
        }
    }

    @Test
    void freeTextPhrasesAndPrefixes() {
        assertThat(ids("cheap")).containsExactly(invoice, pills);
        assertThat(ids("cheap pills")).containsExactly(pills);
        assertThat(ids("\"pills now\"")).containsExactly(pills);
        assertThat(ids("\"now pills\"")).isEmpty();
        assertThat(ids("replic*")).containsExactly(watches);
        assertThat(ids("PILLS")).containsExactly(ipv6, pills);
    }

    @Test
    void booleanOperators() {
        assertThat(ids("pills OR watches")).containsExactly(ipv6, watches, pills);
        assertThat(ids("pills AND NOT subscriber:alice")).containsExactly(ipv6);
        assertThat(ids("pills -subscriber:alice")).containsExactly(ipv6);
        assertThat(ids("-subscriber:alice")).containsExactly(ipv6, invoice, phish);
        assertThat(ids("(pills OR account) subscriber:bob")).containsExactly(phish);
        assertThat(ids("subscriber:alice OR subscriber:bob AND verify")).containsExactly(phish, watches, pills);
    }

    @Test
    void fieldPrefixes() {
        assertThat(ids("from:rolex@watch.example")).containsExactly(watches);
        assertThat(ids("from:pharmacy")).containsExactly(pills);
        assertThat(ids("from:env@bounce.example")).hasSize(5);
        assertThat(ids("to:billing@spamtrap.example.org")).containsExactly(invoice);
        assertThat(ids("subject:\"replica watches\"")).containsExactly(watches);
        assertThat(ids("subject:account")).containsExactly(phish);
        assertThat(ids("url:verify")).containsExactly(phish);
        assertThat(ids("domain:bank-secure.example")).containsExactly(phish);
        assertThat(ids("domain:watch.example")).containsExactly(watches);
        assertThat(ids("domain:www.pharma.example")).containsExactly(pills);
        assertThat(ids("subscriber:ALICE")).containsExactly(watches, pills);
        assertThat(ids("session:s-b1")).containsExactly(invoice, phish);
        assertThat(ids("trap:sales@trap.example.net")).containsExactly(phish, pills);
        assertThat(ids("trap:spamtrap.example.org")).containsExactly(invoice);
        assertThat(ids("has:attachment")).containsExactly(invoice);
        assertThat(ids("attachment:invoice-4711.pdf")).containsExactly(invoice);
        assertThat(ids("status:no_session")).containsExactly(ipv6);
    }

    @Test
    void ipAndCidr() {
        assertThat(ids("ip:198.51.100.7")).containsExactly(pills);
        assertThat(ids("ip:198.51.100.0/24")).containsExactly(watches, pills);
        assertThat(ids("ip:198.51.100.0/25")).containsExactly(pills);
        assertThat(ids("ip:203.0.113.8/30")).containsExactly(invoice, phish);
        assertThat(ids("ip:2001:db8::/32")).containsExactly(ipv6);
        assertThat(ids("ip:192.0.2.1")).hasSize(5); // the connecting client our MX saw
        assertThat(ids("ip:::ffff:198.51.100.7")).containsExactly(pills);
    }

    @Test
    void dateRangesAreUtcDays() {
        assertThat(ids("after:2026-11-20")).containsExactly(ipv6, invoice, phish);
        assertThat(ids("before:2026-11-20")).containsExactly(watches, pills);
        assertThat(ids("after:2026-11-19 before:2026-11-21")).containsExactly(phish, watches);
        assertThat(ids("after:2026-11-20T12:00:01Z")).containsExactly(ipv6, invoice);
    }

    @Test
    void resultLinesCarryWhatTheDeskShows() {
        SearchHit h = store.search("lock*", 1, 0).hits().get(0);
        assertThat(h.id()).isEqualTo(phish);
        assertThat(h.time()).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
        assertThat(h.subscriber()).isEqualTo("bob");
        assertThat(h.originIp()).isEqualTo("203.0.113.9");
        assertThat(h.trap()).isEqualTo("sales@trap.example.net");
        assertThat(h.subject()).isEqualTo("Verify your account");
        assertThat(h.sha256()).isEqualTo(store.find(phish).orElseThrow().sha256());
        assertThat(h.snippet()).contains("account is locked");
    }

    @Test
    void facetsCountAllMatchesNotJustThePage() {
        Facets f = store.search("after:2026-11-18", 1, 10).facets();
        assertThat(f.subscribers()).containsExactly(new Facets.Count("alice", 2), new Facets.Count("bob", 2));
        assertThat(f.originIps()).hasSize(5).allSatisfy(c -> assertThat(c.count()).isEqualTo(1));
        assertThat(f.urlDomains()).extracting(Facets.Count::value)
                .containsExactlyInAnyOrder("www.pharma.example", "shop.watch.example", "login.bank-secure.example");
        Facets bobOnly = store.search("subscriber:bob", 1, 10).facets();
        assertThat(bobOnly.subscribers()).containsExactly(new Facets.Count("bob", 2));
    }

    @Test
    void facetsCountNetworksTrapDomainsStatusesAndDays() {
        Facets f = store.search("", 1, 10).facets();
        assertThat(f.originNets()).containsExactly(new Facets.Count("198.51.100.0/24", 2), new Facets.Count("203.0.113.0/24", 2),
                new Facets.Count("2001:db8:42::/48", 1));
        assertThat(f.trapDomains()).containsExactly(new Facets.Count("trap.example.net", 4), new Facets.Count("spamtrap.example.org", 1));
        assertThat(f.statuses()).containsExactly(new Facets.Count("matched", 4), new Facets.Count("no_session", 1));
        assertThat(f.days()).as("newest day first").extracting(Facets.Count::value)
                .containsExactly("2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19", "2026-11-18");
    }

    /** Each facet value is a link that adds its filter: the filter must find exactly the hits counted. */
    @Test
    void everyFacetValueIsAFilterFindingExactlyItsCount() {
        Facets f = store.search("", 1, 10).facets();
        List<Object[]> groups = List.of(new Object[] {"subscriber", f.subscribers()}, new Object[] {"domain", f.urlDomains()},
                new Object[] {"net", f.originNets()}, new Object[] {"trapdomain", f.trapDomains()},
                new Object[] {"status", f.statuses()}, new Object[] {"day", f.days()});
        for (Object[] g : groups) {
            @SuppressWarnings("unchecked")
            List<Facets.Count> counts = (List<Facets.Count>) g[1];
            assertThat(counts).as("facet %s", g[0]).isNotEmpty();
            for (Facets.Count c : counts) {
                String q = org.trapline.evidence.search.QueryLanguage.filter((String) g[0], c.value()).orElseThrow();
                assertThat(store.search(q, 0, 0).total()).as(q).isEqualTo(c.count());
            }
        }
        assertThat(ids("net:198.51.100.0/24 status:matched day:2026-11-19")).containsExactly(watches);
        assertThat(ids("net:192.0.2.0/24")).as("net: is the origin only, not the connecting client").isEmpty();
        assertThat(ids("ip:192.0.2.0/24")).hasSize(5);
    }

    @Test
    void countAfterCountsOnlyNewerMatchingHits() {
        assertThat(store.countAfter("", phish)).isEqualTo(2);
        assertThat(store.countAfter("pills", pills)).isEqualTo(1);
        assertThat(store.countAfter("", ipv6)).isZero();
        assertThat(store.countAfter("", Long.MAX_VALUE)).isZero();
        assertThatThrownBy(() -> store.countAfter("day:soon", 0)).isInstanceOf(QuerySyntaxException.class).hasMessageContaining("day:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"net:pharma.example", "net:10.0.0.0/40", "day:2026-13-01", "day:yesterday", "trapdomain:"})
    void badFacetFiltersNameTheirField(String query) {
        String field = query.substring(0, query.indexOf(':') + 1);
        assertThatThrownBy(() -> store.search(query, 10, 0)).isInstanceOf(QuerySyntaxException.class).hasMessageContaining(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ip:not-an-ip", "ip:10.0.0.0/33", "ip:example.com", "before:yesterday", "\"unclosed",
            "(pills", "pills)", "pills OR", "NOT", "has:wings", "from:", "AND pills", "()"})
    void badQueriesSayWhatToFix(String query) {
        assertThatThrownBy(() -> store.search(query, 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void unknownPrefixIsPlainText() {
        assertThat(ids("http://www.pharma.example/buy")).containsExactly(pills);
    }

    @Test
    void deepNestingIsABadQueryNotAStackOverflow() {
        for (int depth : new int[] {101, 3_000, 200_000}) {
            String deep = "(".repeat(depth) + "pills" + ")".repeat(depth);
            assertThatThrownBy(() -> store.search(deep, 10, 0)).isInstanceOf(QuerySyntaxException.class)
                    .hasMessage("query nests deeper than 100 parentheses");
        }
        // Unbalanced nesting is refused by its depth too, before anything is built.
        assertThatThrownBy(() -> store.search("(".repeat(50_000), 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessage("query nests deeper than 100 parentheses");
        assertThat(ids("(".repeat(100) + "pills" + ")".repeat(100))).containsExactly(ipv6, pills);
        assertThat(ids("(".repeat(100) + "pills)" + " OR (watches" + ")".repeat(100))).containsExactly(ipv6, watches, pills);
    }

    @Test
    void tooManyTermsIsABadQueryNotALuceneError() {
        String many = IntStream.range(0, 5_000).mapToObj(i -> "w" + i).collect(Collectors.joining(" OR "));
        assertThatThrownBy(() -> store.search(many, 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("query has more than 1024 terms");
        String nested = "(" + IntStream.range(0, 600).mapToObj(i -> "w" + i).collect(Collectors.joining(" ")) + ") OR ("
                + IntStream.range(0, 600).mapToObj(i -> "v" + i).collect(Collectors.joining(" ")) + ")";
        assertThatThrownBy(() -> store.search(nested, 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("query has more than 1024 terms");
        // An ip: looks in two fields (origin and connecting client), so it counts as two terms.
        String ips = IntStream.range(0, 600).mapToObj(i -> "ip:10.0." + (i / 250) + "." + (i % 250)).collect(Collectors.joining(" OR "));
        assertThatThrownBy(() -> store.search(ips, 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("query has more than 1024 terms");

        String most = "pills" + IntStream.range(1, 1024).mapToObj(i -> " OR w" + i).collect(Collectors.joining());
        assertThat(ids(most)).containsExactly(ipv6, pills);
    }

    @Test
    void aLowerLuceneClauseLimitIsStillABadQuery() {
        int limit = org.apache.lucene.search.IndexSearcher.getMaxClauseCount();
        org.apache.lucene.search.IndexSearcher.setMaxClauseCount(100);
        try {
            String wide = IntStream.range(0, 200).mapToObj(i -> "w" + i).collect(Collectors.joining(" OR "));
            assertThatThrownBy(() -> store.search(wide, 10, 0)).isInstanceOf(QuerySyntaxException.class)
                    .hasMessageStartingWith("query has more terms than this index allows (100)");
        } finally {
            org.apache.lucene.search.IndexSearcher.setMaxClauseCount(limit);
        }
    }

    @Test
    void unknownFieldsAreErrorsNamingTheNearestKnownField() {
        assertThatThrownBy(() -> store.search("sbject:pills", 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("unknown field \"sbject\"; did you mean \"subject\"?");
        assertThatThrownBy(() -> store.search("foo:bar", 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("unknown field \"foo\"; did you mean \"from\"?");
        assertThatThrownBy(() -> store.search("pills -subscrber:alice", 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("unknown field \"subscrber\"; did you mean \"subscriber\"?");
        assertThatThrownBy(() -> store.search("(pills OR Atachment:\"invoice 4711\")", 10, 0))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("unknown field \"atachment\"; did you mean \"attachment\"?");
        assertThatThrownBy(() -> store.search("replyto:x@y.example", 10, 0)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("unknown field \"replyto\"; did you mean \"reply-to\"?");
    }

    @Test
    void wordsWithAColonThatAreNoFieldStillSearch() {
        assertThat(ids("\"http://www.pharma.example/buy\"")).containsExactly(pills);
        assertThat(ids("https://shop.watch.example/")).containsExactly(watches);
        assertThat(ids("HTTP://login.bank-secure.example/verify")).containsExactly(phish);
        assertThat(ids("\"sbject:pills\"")).isEmpty();
        assertThat(ids("ip:2001:db8:42::1")).containsExactly(ipv6);
        assertThat(ids("ip:2001:db8::1/32")).containsExactly(ipv6);
        // Bare addresses, times and mailto: links are words like any other.
        for (String word : List.of("2001:db8:42::1", "dead:beef::1", "fe80::1%eth0", "[2001:db8::1]", "03:12", "10:00:00",
                "mailto:sales@trap.example.net", "::1")) {
            assertThat(store.search(word, 10, 0).total()).as(word).isNotNegative();
        }
    }
}
