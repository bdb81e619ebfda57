package org.trapline.enforcement.coa;

import java.util.ArrayList;
import java.util.List;

/**
 * An attribute to put into a CoA, by its dictionary name and text value (as in FreeRADIUS's
 * {@code Filter-Id = "smtp-block"}).
 */
public record NasAttribute(String name, String value) {

    public NasAttribute {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("attribute name is empty");
        if (value == null) throw new IllegalArgumentException("attribute " + name + " has no value");
        name = name.strip();
    }

    public static NasAttribute of(String name, String value) {
        return new NasAttribute(name, value);
    }

    /**
     * Parses a settings value such as {@code Filter-Id=smtp-block, Session-Timeout=600}: comma-separated
     * {@code Name=value} pairs (values cannot hold commas). Blank gives an empty list.
     */
    public static List<NasAttribute> parseList(String text) {
        List<NasAttribute> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        for (String item : text.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) continue;
            int eq = s.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected Name=value, got '" + s + "'");
            out.add(new NasAttribute(s.substring(0, eq), s.substring(eq + 1).strip()));
        }
        return out;
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
