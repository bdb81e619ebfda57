package org.trapline.desk.view;

import java.util.Map;

import org.trapline.enforcement.BrakeStatus;
import org.trapline.enforcement.PolicySettings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The brake on automatic actions as of now, and how many actions wait for review meanwhile.
 *
 * @param pending actions pending review
 */
public record BrakeView(BrakeStatus status, int pending) implements View {

    /**
     * {@code {switch: {since, by, reason} or null, limits: {per_nas_per_hour, total_per_hour, notify},
     * last_hour, per_nas: [{nas, actions}], engaged: [{scope, since, by, reason}], pending}}; a limit of 0
     * is none.
     */
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.set("switch", status.switched().map(BrakeView::engagement).orElse(null));
        PolicySettings.Brake b = status.settings();
        m.putObject("limits").put("per_nas_per_hour", b.perNasPerHour()).put("total_per_hour", b.totalPerHour())
                .put("notify", b.notifyAddress());
        m.put("last_hour", status.lastHour());
        ArrayNode perNas = m.putArray("per_nas");
        for (Map.Entry<String, Integer> e : status.perNas().entrySet()) {
            perNas.addObject().put("nas", e.getKey()).put("actions", e.getValue());
        }
        ArrayNode engaged = m.putArray("engaged");
        status.limits().forEach(e -> engaged.add(engagement(e)));
        m.put("pending", pending);
        return m;
    }

    private static ObjectNode engagement(BrakeStatus.Engagement e) {
        return Json.object().put("scope", e.scope()).put("since", Json.text(e.since())).put("by", e.by()).put("reason", e.reason());
    }
}
