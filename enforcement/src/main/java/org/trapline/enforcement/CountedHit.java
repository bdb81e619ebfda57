package org.trapline.enforcement;

import java.time.Instant;

/** An attributed trap hit the strike store holds against a subscriber. */
public record CountedHit(String hitId, Instant at, String originIp) {}
