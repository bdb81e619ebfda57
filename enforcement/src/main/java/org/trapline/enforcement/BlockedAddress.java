package org.trapline.enforcement;

import java.time.Instant;

/** An address blocked right now, for router ACLs. {@code until} is null for a suspension (no end). */
public record BlockedAddress(String address, String subscriber, Instant until) {}
