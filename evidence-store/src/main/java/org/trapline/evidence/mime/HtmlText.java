package org.trapline.evidence.mime;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns spam HTML into the words a reader would see, and collects the link targets a reader would
 * not see. Deliberately simple and linear: spam HTML is broken on purpose, so this never builds a
 * tree, it only skips markup.
 */
final class HtmlText {
    private static final Pattern LINK_ATTR = Pattern.compile(
            "(?i)\\b(?:href|src|action)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))");
    private static final java.util.Set<String> BLOCK_TAGS = java.util.Set.of("p", "div", "br", "tr", "td", "th", "li",
            "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "title", "hr");

    private HtmlText() {
    }

    /** Readable text of the HTML; link targets are added to {@code links}. */
    static String toText(String html, List<String> links) {
        StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 20));
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                if (html.startsWith("<!--", i)) {
                    int end = html.indexOf("-->", i + 4);
                    i = end < 0 ? n : end + 3;
                    continue;
                }
                int end = html.indexOf('>', i + 1);
                if (end < 0) {
                    break;
                }
                String tag = html.substring(i + 1, end);
                String lower = tag.toLowerCase(Locale.ROOT);
                Matcher m = LINK_ATTR.matcher(tag);
                while (tag.indexOf('=') >= 0 && m.find()) {
                    String v = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                    links.add(decodeEntities(v.trim()));
                }
                i = end + 1;
                if (lower.startsWith("script") || lower.startsWith("style")) {
                    String close = "</" + (lower.startsWith("script") ? "script" : "style");
                    int closeAt = indexOfIgnoreCase(html, close, i);
                    i = closeAt < 0 ? n : closeAt;
                }
                out.append(BLOCK_TAGS.contains(tagName(lower)) ? '\n' : ' ');
                continue;
            }
            int next = html.indexOf('<', i);
            if (next < 0) {
                next = n;
            }
            out.append(decodeEntities(html.substring(i, next)));
            i = next;
        }
        return out.toString();
    }

    private static String tagName(String lowerTag) {
        int start = lowerTag.startsWith("/") ? 1 : 0;
        int end = start;
        while (end < lowerTag.length() && Character.isLetterOrDigit(lowerTag.charAt(end))) {
            end++;
        }
        return lowerTag.substring(start, end);
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        int len = needle.length();
        for (int i = from; i + len <= s.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, len)) {
                return i;
            }
        }
        return -1;
    }

    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi > i && semi - i <= 10) {
                String name = s.substring(i + 1, semi);
                String decoded = entity(name);
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String entity(String name) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : " ";
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> " ";
            case "copy" -> "\u00a9";
            case "reg" -> "\u00ae";
            case "euro" -> "\u20ac";
            case "pound" -> "\u00a3";
            default -> null;
        };
    }
}
