package org.trapline.evidence.cli;

import static org.trapline.common.TerminalText.safe;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.search.Facets;
import org.trapline.evidence.search.QuerySyntaxException;
import org.trapline.evidence.search.SearchHit;
import org.trapline.evidence.search.SearchResult;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trapline search [--json] [--limit N] [--facets] QUERY}: find trap hits, newest first. */
@Command(mixinStandardHelpOptions = true, name = "search", description = {
        "Find trap hits, newest first.",
        "QUERY: words and \"phrases\" plus from: to: reply-to: subject: url: domain: ip:ADDR[/BITS] subscriber: trap:",
        "session: status: before:DATE after:DATE has:attachment|url|subscriber|raw msgid: sha: helo: attachment:,",
        "combined with AND, OR, NOT (or -) and parentheses. Dates are UTC (2026-11-20 or 2026-11-20T03:12)."})
public final class SearchCommand extends StoreCommand {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "Print {\"total\": N, \"hits\": [{id, time, subscriber, origin_ip, trap, subject, sha256}...]}.")
    boolean json;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Most hits to list (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--facets", description = "Also count hits per subscriber, top URL domains and top origin IPs over all matches.")
    boolean facets;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "Values per facet (default ${DEFAULT-VALUE}).")
    int top;

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "The query; several words are joined with spaces.")
    List<String> query = new ArrayList<>();

    public SearchCommand(Supplier<EvidenceStore> store) {
        super(store);
    }

    @Override
    protected int run(EvidenceStore store) throws Exception {
        if (limit < 0 || limit > 100_000) {
            err().println("--limit must be between 0 and 100000");
            return BAD_INPUT;
        }
        if (top < 1 || top > 10_000) {
            err().println("--top must be between 1 and 10000");
            return BAD_INPUT;
        }
        SearchResult result;
        try {
            result = store.search(String.join(" ", query), limit, facets ? top : 0);
        } catch (QuerySyntaxException e) {
            err().println("bad query: " + e.getMessage());
            return BAD_INPUT;
        }
        if (json) {
            out().println(JSON.writeValueAsString(toJson(result)));
        } else {
            printText(result);
        }
        out().flush();
        return OK;
    }

    private Map<String, Object> toJson(SearchResult result) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("total", result.total());
        List<Map<String, Object>> hits = new ArrayList<>();
        for (SearchHit h : result.hits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", h.id());
            m.put("time", h.time().toString());
            m.put("subscriber", h.subscriber());
            m.put("origin_ip", h.originIp());
            m.put("trap", h.trap());
            m.put("subject", h.subject());
            m.put("sha256", h.sha256());
            hits.add(m);
        }
        root.put("hits", hits);
        if (result.facets() != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("subscribers", counts(result.facets().subscribers()));
            f.put("url_domains", counts(result.facets().urlDomains()));
            f.put("origin_ips", counts(result.facets().originIps()));
            root.put("facets", f);
        }
        return root;
    }

    private static List<Map<String, Object>> counts(List<Facets.Count> counts) {
        return counts.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", c.value());
            m.put("count", c.count());
            return m;
        }).toList();
    }

    private void printText(SearchResult result) {
        for (SearchHit h : result.hits()) {
            out().printf("#%-8d %s  %-16s %-39s %-30s %s%n", h.id(), TIME.format(h.time()), safe(h.subscriber()),
                    safe(h.originIp()), safe(h.trap()), safe(h.subject()));
            if (!h.snippet().isBlank()) {
                out().printf("          %s%n", safe(h.snippet()));
            }
        }
        out().printf("%d hit%s%s%n", result.total(), result.total() == 1 ? "" : "s",
                result.total() > result.hits().size() ? " (showing the newest " + result.hits().size() + ")" : "");
        if (result.facets() != null) {
            printFacet("hits per subscriber", result.facets().subscribers());
            printFacet("top URL domains", result.facets().urlDomains());
            printFacet("top origin IPs", result.facets().originIps());
        }
    }

    private void printFacet(String title, List<Facets.Count> counts) {
        out().printf("%n%s:%n", title);
        if (counts.isEmpty()) {
            out().println("  (none)");
        }
        for (Facets.Count c : counts) {
            out().printf("  %8d  %s%n", c.count(), safe(c.value()));
        }
    }
}
