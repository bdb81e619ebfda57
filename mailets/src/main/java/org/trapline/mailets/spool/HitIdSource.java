package org.trapline.mailets.spool;

/**
 * Where the id of a hit comes from when the MX accepts its message: written into the spool record
 * before the 250, so the hit keeps that id through a crash and the replay after it. Each id is handed out
 * once, also across crashes (the evidence store reserves them).
 */
@FunctionalInterface
public interface HitIdSource {
    long next();
}
