package org.trapline.evidence.mime;

/**
 * Finds links in decoded message text: {@code http://}, {@code https://} and {@code ftp://} followed by
 * at least one URL character, or {@code www.} followed by a host with at least two labels; schemes and
 * {@code www} in any case. A link runs until whitespace or one of {@code <>"'`{}|\^[]}.
 *
 * <p>A hand-written scan rather than a regular expression: this runs over every character of every
 * indexed body, and {@code Matcher.find} with the equivalent pattern was a fifth of the pipeline's CPU.
 */
final class UrlScanner {
    private UrlScanner() {
    }

    /** End (exclusive) of a link that starts exactly at {@code i}, or -1 when none does. */
    static int linkAt(CharSequence s, int i) {
        int n = s.length();
        int afterScheme = -1;
        if (ascii(s, i, "http")) {
            int j = i + 4;
            if (j < n && (s.charAt(j) == 's' || s.charAt(j) == 'S') && slashes(s, j + 1)) {
                afterScheme = j + 4;
            } else if (slashes(s, j)) {
                afterScheme = j + 3;
            }
        } else if (ascii(s, i, "ftp") && slashes(s, i + 3)) {
            afterScheme = i + 6;
        }
        if (afterScheme >= 0) {
            int end = runEnd(s, afterScheme);
            return end > afterScheme ? end : -1;
        }
        if (ascii(s, i, "www") && i + 3 < n && s.charAt(i + 3) == '.') {
            int label = labelEnd(s, i + 4);
            if (label > i + 4 && label + 1 < n && s.charAt(label) == '.' && isLabelChar(s.charAt(label + 1))) {
                return runEnd(s, label + 1);
            }
        }
        return -1;
    }

    /** Start of the first link at or after {@code from}, or -1; {@link #linkAt} gives its end. */
    static int find(CharSequence s, int from) {
        for (int i = from, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if ((c == 'h' || c == 'H' || c == 'f' || c == 'F' || c == 'w' || c == 'W') && linkAt(s, i) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code word} (lowercase ASCII) is at {@code i}, in any case. */
    private static boolean ascii(CharSequence s, int i, String word) {
        if (i + word.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            char c = s.charAt(i + k);
            if (c != word.charAt(k) && c != Character.toUpperCase(word.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean slashes(CharSequence s, int i) {
        return i + 3 <= s.length() && s.charAt(i) == ':' && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/';
    }

    private static int labelEnd(CharSequence s, int i) {
        while (i < s.length() && isLabelChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isLabelChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static int runEnd(CharSequence s, int i) {
        while (i < s.length() && !ends(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Whitespace as Java's {@code \s} means it, and the characters a link never contains unescaped. */
    private static boolean ends(char c) {
        switch (c) {
            case ' ', '\t', '\n', '\u000B', '\f', '\r', '<', '>', '"', '\'', '`', '{', '}', '|', '\\', '^', '[', ']':
                return true;
            default:
                return false;
        }
    }
}
