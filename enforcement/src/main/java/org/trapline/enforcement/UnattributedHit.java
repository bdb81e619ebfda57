package org.trapline.enforcement;

import java.time.Instant;

/** A trap hit that named no subscriber, kept for staff review instead of acted on. */
public record UnattributedHit(String hitId, Instant at, String originIp, HitAttribution attribution) {}
