package org.trapline.enforcement.coa;

import java.util.Map;

/** RFC 5176 Error-Cause values (attribute 101), for journals people can read. */
public final class ErrorCause {

    /** The session the request named does not exist (any more) at the NAS. */
    public static final int SESSION_CONTEXT_NOT_FOUND = 503;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(201, "Residual-Session-Context-Removed"),
            Map.entry(202, "Invalid-EAP-Packet"),
            Map.entry(401, "Unsupported-Attribute"),
            Map.entry(402, "Missing-Attribute"),
            Map.entry(403, "NAS-Identification-Mismatch"),
            Map.entry(404, "Invalid-Request"),
            Map.entry(405, "Unsupported-Service"),
            Map.entry(406, "Unsupported-Extension"),
            Map.entry(407, "Invalid-Attribute-Value"),
            Map.entry(501, "Administratively-Prohibited"),
            Map.entry(502, "Request-Not-Routable"),
            Map.entry(503, "Session-Context-Not-Found"),
            Map.entry(504, "Session-Context-Not-Removable"),
            Map.entry(505, "Other-Proxy-Processing-Error"),
            Map.entry(506, "Resources-Unavailable"),
            Map.entry(507, "Request-Initiated"),
            Map.entry(508, "Multiple-Session-Selection-Unsupported"));

    private ErrorCause() {}

    /** {@code 503 Session-Context-Not-Found}; unknown codes show as the number only. */
    public static String describe(int code) {
        String name = NAMES.get(code);
        return name == null ? Integer.toString(code) : code + " " + name;
    }
}
