package org.trapline.web.page;

import java.util.ArrayList;
import java.util.List;

import org.trapline.desk.view.SearchView;
import org.trapline.evidence.search.Facets;
import org.trapline.evidence.search.QueryLanguage;
import org.trapline.evidence.search.SearchHit;

/**
 * The search page: the query as typed, its error (shown, one line) or its page of hits with the facets
 * of every match, each value a link adding its filter to the query.
 *
 * @param newest the highest hit id on a first page (what the live count counts after), or -1 on a later page
 */
public record SearchPage(Chrome chrome, String query, String error, SearchView result, List<FacetGroup> facets, long newest) {
    /** One facet value: its count, and the query with its filter added (null when the language cannot spell it). */
    public record FacetValue(String value, long count, String href) {
    }

    /** The values of one facet, as the page titles it. */
    public record FacetGroup(String id, String title, List<FacetValue> values) {
    }

    public SearchPage {
        facets = List.copyOf(facets);
    }

    public static SearchPage failed(Chrome chrome, String query, String error) {
        return new SearchPage(chrome, query, error, null, List.of(), -1);
    }

    public static SearchPage of(Chrome chrome, String query, SearchView result, boolean firstPage) {
        List<FacetGroup> groups = new ArrayList<>();
        Facets f = result.facets();
        if (f != null) {
            groups.add(group(query, "subscriber", "Subscriber", "subscriber", f.subscribers()));
            groups.add(group(query, "net", "Origin network", "net", f.originNets()));
            groups.add(group(query, "domain", "URL domain", "domain", f.urlDomains()));
            groups.add(group(query, "trapdomain", "Trap domain", "trapdomain", f.trapDomains()));
            groups.add(group(query, "status", "Attribution", "status", f.statuses()));
            groups.add(group(query, "day", "Day (UTC)", "day", f.days()));
        }
        long newest = firstPage ? result.hits().stream().mapToLong(SearchHit::id).max().orElse(0) : -1;
        return new SearchPage(chrome, query, null, result, groups, newest);
    }

    private static FacetGroup group(String query, String id, String title, String field, List<Facets.Count> counts) {
        List<FacetValue> values = counts.stream().map(c -> new FacetValue(c.value(), c.count(),
                QueryLanguage.filter(field, c.value()).map(filter -> Links.search(narrowed(query, filter))).orElse(null))).toList();
        return new FacetGroup(id, title, values);
    }

    /** The query and the filter, both to hold: an OR in the query is kept inside parentheses. */
    static String narrowed(String query, String filter) {
        String q = query.strip();
        if (q.isEmpty()) {
            return filter;
        }
        return (ANY_OR.matcher(q).find() ? "(" + q + ")" : q) + " " + filter;
    }

    private static final java.util.regex.Pattern ANY_OR = java.util.regex.Pattern.compile("(^|[\\s()])(OR|\\|\\|)([\\s()]|$)");
}
