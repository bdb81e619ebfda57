package org.trapline.evidence.search;

import java.util.List;

/**
 * Counts over every hit a query matches (not only the page shown): hits per subscriber, top URL
 * domains, top origin IPs and origin networks (/24, /48), trap domains, attribution statuses, and the
 * days received (UTC). Each list is biggest first, except {@code days}, newest day first.
 */
public record Facets(List<Count> subscribers, List<Count> urlDomains, List<Count> originIps, List<Count> originNets,
                     List<Count> trapDomains, List<Count> statuses, List<Count> days) {
    /** One value and how many matching hits carry it. */
    public record Count(String value, long count) {
    }

    public Facets {
        subscribers = List.copyOf(subscribers);
        urlDomains = List.copyOf(urlDomains);
        originIps = List.copyOf(originIps);
        originNets = List.copyOf(originNets);
        trapDomains = List.copyOf(trapDomains);
        statuses = List.copyOf(statuses);
        days = List.copyOf(days);
    }
}
