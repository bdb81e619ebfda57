package org.trapline.enforcement;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The brake on automatic actions as of now.
 *
 * @param switched   staff's switch, when on: every automatic action waits for review
 * @param limits     limits reached and not yet released ({@code total} or {@code nas:<NAS-IP>})
 * @param lastHour   automatic actions that cut customers off in the last hour
 * @param perNas     the same for the busiest NASes (fences and disconnects), most first
 * @param settings   the limits and the staff address
 */
public record BrakeStatus(Optional<Engagement> switched, List<Engagement> limits, int lastHour, Map<String, Integer> perNas,
                          PolicySettings.Brake settings) {

    public BrakeStatus {
        limits = List.copyOf(limits);
        perNas = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perNas));
    }

    /**
     * One engaged brake.
     *
     * @param scope  {@code switch}, {@code total} or {@code nas:<NAS-IP>}
     * @param by     {@code brake} for a limit, {@code staff:<user>} for the switch
     * @param reason the limit's words, or what staff gave
     */
    public record Engagement(String scope, Instant since, String by, String reason) {}
}
