package org.trapline.desk;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;
import org.trapline.reports.out.Incident;

/**
 * A trap hit as the incident an abuse report is about. The source is the origin hop of the Received
 * chain, with the client port the trace kept for it; without an origin, the client our MX saw (its
 * port is not recorded, so unknown).
 */
final class HitIncident {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HitIncident() {
    }

    static Incident of(StoredHit stored, byte[] raw) {
        TrapHit h = stored.hit();
        boolean origin = h.originIp() != null && !h.originIp().isBlank();
        String ip = origin ? h.originIp() : h.clientIp() == null || h.clientIp().isBlank() ? null : h.clientIp();
        return new Incident(ip, origin ? originPort(h.traceJson()) : 0, h.receivedAt(), h.envelopeSender(), h.trapRecipients(),
                Incident.domainOf(h.envelopeSender()), raw, stored.sha256());
    }

    /** The origin's client port from the stored trace, or 0 when the trace has none (or is unreadable). */
    static int originPort(String traceJson) {
        if (traceJson == null || traceJson.isBlank()) {
            return 0;
        }
        try {
            JsonNode port = JSON.readTree(traceJson).path("origin").path("port");
            return port.canConvertToInt() && port.asInt() > 0 && port.asInt() <= 65535 ? port.asInt() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
