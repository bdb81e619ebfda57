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

    /** A subscriber's name made safe for a download's file name: letters, digits, dot, dash, underscore. */
    public static String fileName(String s) {
        String f = (s == null ? "" : s).replaceAll("[^A-Za-z0-9._-]", "_");
        return f.length() > 100 ? f.substring(0, 100) : f;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
