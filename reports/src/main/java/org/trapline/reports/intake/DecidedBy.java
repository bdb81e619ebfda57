package org.trapline.reports.intake;

import java.util.Locale;

/** Which source named the address and time a report is attributed by. */
public enum DecidedBy {
    /** What the report states, not contradicted by the headers it quotes. */
    REPORT,
    /** Our own trace of the quoted headers: the report stated no source, or one its headers contradict. */
    TRACE;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
