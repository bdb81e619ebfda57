package org.trapline.evidence.search;

import java.util.List;

/**
 * Hits matching a desk query, newest first, with how many there are in all; facets when asked for.
 */
public record SearchResult(long total, List<SearchHit> hits, Facets facets) {
    public SearchResult {
        hits = List.copyOf(hits);
    }
}
