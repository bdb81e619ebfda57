package org.trapline.reports.intake;

import java.util.Locale;

/**
 * What storing a report will do with it; the dry run prints it so staff see it before anything is kept.
 * No report is ever dropped.
 */
public enum Disposition {
    /** The report names an address in our subscriber networks: evidence against whoever held it. */
    EVIDENCE,
    /** The report names an address outside our networks: kept, marked NOT_OURS, counted against nobody. */
    NOT_OURS,
    /** The report could not be read, or names no address at all: kept in the quarantine with its reason. */
    QUARANTINE;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
