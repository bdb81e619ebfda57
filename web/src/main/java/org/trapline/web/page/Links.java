package org.trapline.web.page;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The desk's own links, with hostile values (subscriber names, queries) percent-encoded into them. */
public final class Links {
    private Links() {
    }

    public static String caseOf(String subscriber) {
        return "/cases/" + encode(subscriber).replace("+", "%20");
    }

    public static String search(String query) {
        return "/search?q=" + encode(query);
    }

    public static String searchAfter(String query, String cursor) {
        return search(query) + "&after=" + encode(cursor);
    }

    /** The live count's question: matching hits newer than the newest one the page shows. */
    public static String newHitsCount(String query, long sinceId) {
        return "/api/v1/hits/count?q=" + encode(query) + "&since_id=" + sinceId;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
