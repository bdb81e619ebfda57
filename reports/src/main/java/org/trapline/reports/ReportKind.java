package org.trapline.reports;

import java.util.Locale;

/** Which format a report came in; its JSON name is the lowercase one. */
public enum ReportKind {
    ARF, SPAMCOP, XARF, FORWARDED, UNKNOWN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
