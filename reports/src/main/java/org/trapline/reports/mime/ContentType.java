package org.trapline.reports.mime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Content-Type value: lowercased {@code type/subtype} and its parameters (names lowercased, values
 * unquoted). Tolerant: a missing or garbled value reads as {@code text/plain}, as RFC 2045 says.
 */
public record ContentType(String baseType, Map<String, String> parameters) {
    /** Longest header value read; a longer Content-Type is garbage. */
    private static final int MAX_VALUE = 8192;
    private static final int MAX_PARAMETERS = 64;

    public static final ContentType TEXT_PLAIN = new ContentType("text/plain", Map.of());

    public ContentType {
        parameters = Map.copyOf(parameters);
    }

    public static ContentType parse(String value) {
        if (value == null || value.isBlank()) {
            return TEXT_PLAIN;
        }
        String v = value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value;
        int semi = v.indexOf(';');
        String base = (semi < 0 ? v : v.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (base.indexOf('/') <= 0 || base.contains(" ")) {
            base = "text/plain";
        }
        Map<String, String> params = new LinkedHashMap<>();
        int pos = semi < 0 ? v.length() : semi + 1;
        while (pos < v.length() && params.size() < MAX_PARAMETERS) {
            int eq = v.indexOf('=', pos);
            if (eq < 0) {
                break;
            }
            String name = v.substring(pos, eq).trim().toLowerCase(Locale.ROOT);
            int i = eq + 1;
            while (i < v.length() && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            StringBuilder value1 = new StringBuilder();
            if (i < v.length() && v.charAt(i) == '"') {
                i++;
                while (i < v.length() && v.charAt(i) != '"') {
                    char c = v.charAt(i);
                    if (c == '\\' && i + 1 < v.length()) {
                        c = v.charAt(++i);
                    }
                    value1.append(c);
                    i++;
                }
                int next = v.indexOf(';', i);
                pos = next < 0 ? v.length() : next + 1;
            } else {
                int next = v.indexOf(';', i);
                value1.append(v, i, next < 0 ? v.length() : next);
                pos = next < 0 ? v.length() : next + 1;
            }
            if (!name.isEmpty()) {
                params.putIfAbsent(name, value1.toString().trim());
            }
        }
        return new ContentType(base, params);
    }

    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean is(String type) {
        return baseType.equals(type);
    }

    public boolean isMultipart() {
        return baseType.startsWith("multipart/");
    }
}
