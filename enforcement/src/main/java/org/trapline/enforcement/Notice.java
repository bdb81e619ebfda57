package org.trapline.enforcement;

import java.time.Instant;

/**
 * What a subscriber is told: why (the rule), how bad (strikes, hits, dates), until when, and one
 * sample hit to look up.
 *
 * @param blockedUntil end of the block, or null when suspended
 * @param sampleHitId  one of the hits that caused it (the evidence store can show its message)
 */
public record Notice(long actionId, String subscriber, String rule, int strikes, boolean suspended, Instant blockedUntil,
                     int hitCount, Instant firstHit, Instant lastHit, String sampleHitId, String sampleOriginIp) {}
