package org.trapline.evidence.search;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of search results continues: just after the hit with this receive time and id, in the
 * newest-first order. As text ({@link #toString}, {@link #parse}) it travels through a command line
 * or a URL and back.
 */
public record SearchCursor(Instant time, long id) {
    private static final Pattern TEXT = Pattern.compile("(-?\\d{1,19})\\.(\\d{1,19})");

    public SearchCursor {
        java.util.Objects.requireNonNull(time, "time");
    }

    /** {@code <epoch millis>.<hit id>}. */
    @Override
    public String toString() {
        return time.toEpochMilli() + "." + id;
    }

    /** @throws IllegalArgumentException text that {@link #toString} did not write */
    public static SearchCursor parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a page cursor: '" + text + "' (expected the next value of a search result)");
        }
        try {
            return new SearchCursor(Instant.ofEpochMilli(Long.parseLong(m.group(1))), Long.parseLong(m.group(2)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a page cursor: '" + text + "' (out of range)");
        }
    }
}
