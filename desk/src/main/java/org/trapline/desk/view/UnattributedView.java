package org.trapline.desk.view;

import java.util.Objects;

import org.trapline.enforcement.UnattributedHit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A trap hit that named nobody, listed for staff and never acted on, with the reason in staff's words. */
public record UnattributedView(UnattributedHit hit) implements View {
    public UnattributedView {
        Objects.requireNonNull(hit, "hit");
    }

    /** {@code {hit_id, at, origin_ip, attribution, reason}}; {@code origin_ip} is null for NO_ORIGIN. */
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("hit_id", hit.hitId());
        m.put("at", Json.text(hit.at()));
        m.put("origin_ip", hit.originIp());
        m.put("attribution", hit.attribution().name());
        m.put("reason", hit.reason());
        return m;
    }
}
