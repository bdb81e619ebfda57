package org.trapline.enforcement;

import java.time.Instant;
import java.util.Objects;

/**
 * One subscriber's standing as the strike rule keeps it between hits: what {@link StrikeEngine} is given
 * and returns, and what the strike store holds per subscriber.
 *
 * @param decayFrom    quiet periods are counted from here (the last hit, advanced by each strike forgiven)
 * @param lastStrike   the last strike or staff's unblock: hits up to it are spent and count no more
 * @param blockedUntil end of the current block, or null
 * @param suspendedAt  when the account was suspended (until staff lift it), or null
 * @param fencedTarget the session a fence CoA was ACKed for: the restoring CoA goes there
 * @param aclAddress   the address in the router ACL export while blocked
 * @param lastAddress  the origin address of the last hit
 * @param heldReason   the block is decided but its actions wait for review (brake or exemption): until one
 *                     is carried out the ACL export leaves the session address out, or it would cut the
 *                     subscriber off anyway
 */
public record StrikeState(String subscriber, int strikes, Instant decayFrom, Instant lastStrike, Instant blockedUntil,
                          Instant suspendedAt, String fencedTarget, String aclAddress, String lastAddress, String heldReason) {

    public StrikeState {
        Objects.requireNonNull(subscriber, "subscriber");
        if (strikes < 0) throw new IllegalArgumentException("negative strikes for " + subscriber);
    }

    /** A subscriber the policy has not seen hits for. */
    public static StrikeState first(String subscriber) {
        return new StrikeState(subscriber, 0, null, null, null, null, null, null, null, null);
    }

    /** Whether the block (or suspension) is on at {@code now}. */
    public boolean blockedAt(Instant now) {
        return suspendedAt != null || (blockedUntil != null && blockedUntil.isAfter(now));
    }

    StrikeState withStrikes(int n, Instant newDecayFrom) {
        return new StrikeState(subscriber, n, newDecayFrom, lastStrike, blockedUntil, suspendedAt, fencedTarget, aclAddress,
                lastAddress, heldReason);
    }

    StrikeState withHit(Instant newDecayFrom, String address) {
        return new StrikeState(subscriber, strikes, newDecayFrom, lastStrike, blockedUntil, suspendedAt, fencedTarget, aclAddress,
                address, heldReason);
    }

    StrikeState withStrike(int n, Instant at, Instant until, Instant suspended) {
        return new StrikeState(subscriber, n, decayFrom, at, until, suspended, fencedTarget, aclAddress, lastAddress, heldReason);
    }

    /** The block is over: nothing fenced, exported or held any more. */
    StrikeState lifted() {
        return new StrikeState(subscriber, strikes, decayFrom, lastStrike, null, suspendedAt, null, null, lastAddress, null);
    }

    StrikeState withFence(String target) {
        return new StrikeState(subscriber, strikes, decayFrom, lastStrike, blockedUntil, suspendedAt, target, aclAddress,
                lastAddress, null);
    }

    StrikeState withAcl(String address) {
        return new StrikeState(subscriber, strikes, decayFrom, lastStrike, blockedUntil, suspendedAt, fencedTarget, address,
                lastAddress, null);
    }

    /** Held for review; the first reason stays (it is the one staff saw first). */
    StrikeState held(String reason) {
        if (heldReason != null || reason == null) return this;
        return withHeldReason(reason);
    }

    StrikeState withHeldReason(String reason) {
        return new StrikeState(subscriber, strikes, decayFrom, lastStrike, blockedUntil, suspendedAt, fencedTarget, aclAddress,
                lastAddress, reason);
    }
}
