package org.trapline.evidence.search;

import java.time.Instant;

/**
 * One line of a desk search result.
 *
 * @param id         hit id (for show / export)
 * @param time       when our MX received it
 * @param subscriber attributed subscriber, or null
 * @param originIp   origin hop address, or null
 * @param trap       first trap address it was sent to, or null
 * @param subject    decoded subject (shortened), or null
 * @param sha256     hash of the raw message
 * @param snippet    a short piece of body text, around the first query word found when possible
 */
public record SearchHit(long id, Instant time, String subscriber, String originIp, String trap, String subject,
        String sha256, String snippet) {
}
