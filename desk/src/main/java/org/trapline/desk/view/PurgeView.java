package org.trapline.desk.view;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A hit's raw message dropped at staff's request: the hit row stays (hash, times, subscriber), marked purged.
 *
 * @param purged  whether this purge dropped it (false: it was gone already)
 * @param erased  whether the bytes were erased (false when another hit keeps the same message)
 * @param journal the evidence journal's entry
 */
public record PurgeView(long hitId, boolean purged, boolean erased, long journal) implements View {
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("hit_id", hitId);
        m.put("purged", purged);
        m.put("erased", erased);
        m.put("journal", journal);
        return m;
    }
}
