package org.trapline.web.page;

import org.trapline.desk.view.SearchView;

/** The search page: the query as typed, its error (shown, one line) or its first page of hits. */
public record SearchPage(Chrome chrome, String query, String error, SearchView result) {
}
