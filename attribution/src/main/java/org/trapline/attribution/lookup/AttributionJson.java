package org.trapline.attribution.lookup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.trapline.attribution.session.Session;

/**
 * The JSON form of an {@link Attribution}, as {@code bin/trapline who} prints it: top-level
 * {@code "status"} and {@code "subscriber"} (null when none), then the details.
 */
public final class AttributionJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AttributionJson() {
    }

    public static Map<String, Object> toMap(Attribution a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", a.status().name());
        m.put("subscriber", a.subscriber());
        m.put("address", a.address());
        m.put("at", text(a.at()));
        if (a.staticPrefix() != null) {
            m.put("staticPrefix", a.staticPrefix());
        }
        m.put("session", a.session() == null ? null : session(a.session()));
        m.put("candidates", a.candidates().stream().map(AttributionJson::session).toList());
        return m;
    }

    public static String toJson(Attribution a) {
        try {
            return JSON.writeValueAsString(toMap(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> session(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userName", s.userName());
        m.put("acctSessionId", s.acctSessionId());
        m.put("acctUniqueId", s.acctUniqueId());
        m.put("nasIpAddress", s.nasIpAddress());
        m.put("framedIpAddress", s.framedIpAddress());
        m.put("framedIpv6Address", s.framedIpv6Address());
        m.put("framedIpv6Prefix", s.framedIpv6Prefix());
        m.put("delegatedIpv6Prefix", s.delegatedIpv6Prefix());
        m.put("start", text(s.start()));
        m.put("startSeen", s.startSeen());
        m.put("lastUpdate", text(s.lastUpdate()));
        m.put("stop", text(s.stop()));
        m.put("stopSeen", s.stopSeen());
        m.put("terminateCause", s.terminateCause());
        m.put("callingStationId", s.callingStationId());
        m.put("class", s.acctClass());
        return m;
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
