package org.trapline.evidence.cli;

import org.trapline.evidence.PurgeReport;

/**
 * Told of each purge once it is done, beside the evidence store's own purge journal: the server enters it
 * in the desk's staff audit, which this module does not know.
 */
@FunctionalInterface
public interface PurgeWitness {
    /** Nobody to tell. */
    PurgeWitness NONE = (actor, scope, reason, report) -> { };

    /**
     * @param actor  who asked ({@code --actor}, or {@code cli:<login name>})
     * @param scope  {@code subscriber:<name>}, {@code retention} or {@code older-than:<days>}
     * @param reason why, as given; empty when none was
     */
    void purged(String actor, String scope, String reason, PurgeReport report);
}
