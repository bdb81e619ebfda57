package org.trapline.desk.view;

import java.util.List;

import org.trapline.evidence.search.Facets;
import org.trapline.evidence.search.SearchCursor;
import org.trapline.evidence.search.SearchHit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One page of a desk search, newest first.
 *
 * @param total  matching hits on all pages
 * @param hits   this page (each with a snippet of its body text, which the JSON form leaves out)
 * @param facets counts over every match, or null when none were asked for
 * @param next   where the next page starts, or null on the last page
 */
public record SearchView(long total, List<SearchHit> hits, Facets facets, SearchCursor next) implements View {
    public SearchView {
        hits = List.copyOf(hits);
    }

    /**
     * {@code {"total", "hits": [{id, time, subscriber, origin_ip, trap, subject, sha256}...], "next", "facets"}}:
     * the contract of {@code search --json}, whose hits carry exactly these keys; {@code facets} only
     * when they were asked for, {@code next} null on the last page.
     */
    @Override
    public ObjectNode json() {
        ObjectNode root = Json.object();
        root.put("total", total);
        ArrayNode list = root.putArray("hits");
        for (SearchHit h : hits) {
            ObjectNode m = list.addObject();
            m.put("id", h.id());
            m.put("time", Json.text(h.time()));
            m.put("subscriber", h.subscriber());
            m.put("origin_ip", h.originIp());
            m.put("trap", h.trap());
            m.put("subject", h.subject());
            m.put("sha256", h.sha256());
        }
        root.put("next", next == null ? null : next.toString());
        if (facets != null) {
            ObjectNode f = root.putObject("facets");
            counts(f, "subscribers", facets.subscribers());
            counts(f, "url_domains", facets.urlDomains());
            counts(f, "origin_ips", facets.originIps());
            counts(f, "origin_nets", facets.originNets());
            counts(f, "trap_domains", facets.trapDomains());
            counts(f, "statuses", facets.statuses());
            counts(f, "days", facets.days());
        }
        return root;
    }

    private static void counts(ObjectNode parent, String key, List<Facets.Count> counts) {
        ArrayNode a = parent.putArray(key);
        for (Facets.Count c : counts) {
            a.addObject().put("value", c.value()).put("count", c.count());
        }
    }
}
