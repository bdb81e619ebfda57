package org.trapline.evidence.search;

import java.util.List;

/**
 * Counts over every hit a query matches (not only the page shown): hits per subscriber, top URL
 * domains, top origin IPs. Each list is biggest first.
 */
public record Facets(List<Count> subscribers, List<Count> urlDomains, List<Count> originIps) {
    /** One value and how many matching hits carry it. */
    public record Count(String value, long count) {
    }

    public Facets {
        subscribers = List.copyOf(subscribers);
        urlDomains = List.copyOf(urlDomains);
        originIps = List.copyOf(originIps);
    }
}
