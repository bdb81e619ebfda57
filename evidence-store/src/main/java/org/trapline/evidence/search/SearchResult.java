package org.trapline.evidence.search;

import java.util.List;

/**
 * Hits matching a desk query, newest first, with how many there are in all; facets when asked for.
 *
 * @param total  matching hits in all, on every page
 * @param facets counts over all matches, or null when none were asked for
 * @param next   where the next page starts, or null when this page holds the oldest match
 */
public record SearchResult(long total, List<SearchHit> hits, Facets facets, SearchCursor next) {
    public SearchResult {
        hits = List.copyOf(hits);
    }
}
