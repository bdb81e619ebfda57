package org.trapline.desk.view;

import java.time.Instant;

import org.trapline.enforcement.SubscriberStatus;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A subscriber's standing with the strike policy when the desk looked.
 *
 * @param blocked whether a block or a suspension held at that moment
 */
public record Standing(SubscriberStatus status, boolean blocked) implements View {
    public static Standing of(SubscriberStatus status, Instant now) {
        return new Standing(status, status.blockedAt(now));
    }

    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("strikes", status.strikes());
        m.put("blocked", blocked);
        m.put("blocked_until", Json.text(status.blockedUntil()));
        m.put("suspended_at", Json.text(status.suspendedAt()));
        m.put("fenced_target", status.fencedTarget());
        m.put("acl_address", status.aclAddress());
        m.put("last_address", status.lastAddress());
        m.put("hits_in_window", status.hitsInWindow());
        return m;
    }
}
