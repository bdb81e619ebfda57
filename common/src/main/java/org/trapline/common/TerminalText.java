package org.trapline.common;

/**
 * Text from outside (spam subjects, HELO names, subscriber names, a NAS's answers) on its way to a
 * staff terminal. A trap hit is written by an adversary: a control character could move the cursor,
 * recolour or erase what staff read, and a bidirectional override could reorder it, so no such
 * character reaches a terminal. JSON output needs none of this: its escaping covers the same ground.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /**
     * The text with C0 and C1 control characters, DEL and the bidirectional marks and overrides turned
     * into spaces; {@code -} for null, so a missing value still takes its column.
     */
    public static String safe(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(unsafe(cp) ? ' ' : cp));
        return b.toString();
    }

    /** Whether a code point can change how a terminal shows the text around it. */
    public static boolean unsafe(int cp) {
        return cp < 0x20 || cp == 0x7f || cp >= 0x80 && cp < 0xa0 || cp == 0x200e || cp == 0x200f
                || cp >= 0x202a && cp <= 0x202e || cp >= 0x2066 && cp <= 0x2069;
    }
}
