package org.trapline.enforcement;

import java.util.Locale;

/** How an action type is carried out, per conf/trapline.properties {@code action.<type>.mode}. */
public enum ActionMode {
    /** Carried out at once. */
    AUTO,
    /** Journaled as pending until staff confirm or dismiss it. */
    REVIEW,
    /** Journaled only; nothing is sent. */
    DRY_RUN;

    /** {@code auto}, {@code review} or {@code dry-run}. */
    public static ActionMode parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto" -> AUTO;
            case "review" -> REVIEW;
            case "dry-run", "dryrun", "dry_run" -> DRY_RUN;
            default -> throw new IllegalArgumentException("expected auto, review or dry-run, got '" + text.strip() + "'");
        };
    }

    public String text() {
        return this == DRY_RUN ? "dry-run" : name().toLowerCase(Locale.ROOT);
    }
}
