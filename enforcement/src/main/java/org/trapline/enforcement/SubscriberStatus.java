package org.trapline.enforcement;

import java.time.Instant;

/**
 * A subscriber's standing as of now (quiet periods already forgiven).
 *
 * @param blockedUntil end of the current block, or null (none, or suspended)
 * @param suspendedAt  when the account was suspended, or null
 * @param fencedTarget the session a fence CoA was ACKed for, or null
 * @param aclAddress   address in the ACL export, or null
 */
public record SubscriberStatus(String subscriber, int strikes, Instant blockedUntil, Instant suspendedAt,
                               String fencedTarget, String aclAddress, String lastAddress, int hitsInWindow) {

    public boolean suspended() {
        return suspendedAt != null;
    }

    public boolean blockedAt(Instant now) {
        return suspendedAt != null || (blockedUntil != null && blockedUntil.isAfter(now));
    }
}
