package org.trapline.web.page;

import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * A spam's HTML made inert for the hit page's sandboxed frame. The frame (no {@code allow-scripts}) and
 * its route's CSP ({@code default-src 'none'}) already stop scripts and loads; this removes what they would
 * stop, so that nothing depends on one defence alone: scripts, event handlers, frames, forms, {@code <base>},
 * {@code <meta refresh>}, every remote reference (a fetched pixel would confirm the trap address to the
 * spammer). Links become their text; images become their alt text, except those the message carries itself
 * ({@code cid:}), which point at the desk's own route for them.
 */
public final class SpamHtml {
    private static final Pattern REMOTE_IN_STYLE = Pattern.compile("(?i)url\\s*\\(|expression\\s*\\(|@import|behavior\\s*:|\\\\");

    /** Layout and text only; built once, never changed after (jsoup's Cleaner only reads it). */
    private static final Safelist ALLOWED = Safelist.relaxed()
            .removeTags("a")
            .removeAttributes("img", "title", "align")
            .removeProtocols("img", "src", "http", "https")
            .addProtocols("img", "src", "cid")
            .addTags("span", "font", "center", "hr")
            .addAttributes(":all", "style", "align", "bgcolor", "color", "width", "height", "dir")
            .addAttributes("font", "face", "size");

    private SpamHtml() {
    }

    /** A cid: URL's Content-ID: RFC 2392 writes it percent-encoded, mail programs often do not. */
    private static String contentId(String encoded) {
        try {
            return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return encoded;
        }
    }

    /** The same, with no message images at all. */
    public static String inert(String html) {
        return inert(html, null);
    }

    /**
     * A whole HTML document, UTF-8, safe to serve under {@code SecurityHeaders.SPAM_HTML_POLICY}.
     *
     * @param cidLink the link to the message's own image {@code cid:NAME}, given NAME; null to remove those
     *                images like remote ones
     */
    public static String inert(String html, java.util.function.Function<String, String> cidLink) {
        Document dirty = Jsoup.parse(html);
        // Before cleaning, while they are still there: links and images say what they were, as text.
        for (Element img : dirty.select("img")) {
            String src = img.attr("src").strip();
            if (cidLink == null || !src.regionMatches(true, 0, "cid:", 0, 4) || src.length() == 4) {
                String alt = img.attr("alt").strip();
                img.replaceWith(new org.jsoup.nodes.TextNode(alt.isEmpty() ? "[image removed]" : "[image: " + alt + "]"));
            }
        }
        dirty.select("a").unwrap();
        Document clean = new Cleaner(ALLOWED).clean(dirty);
        for (Element img : clean.select("img")) {
            String src = img.attr("src").strip();
            if (cidLink != null && src.regionMatches(true, 0, "cid:", 0, 4)) {
                img.attr("src", cidLink.apply(contentId(src.substring(4))));
            } else {
                img.remove();
            }
        }
        for (Element e : clean.select("[style]")) {
            if (REMOTE_IN_STYLE.matcher(e.attr("style")).find()) {
                e.removeAttr("style");
            }
        }
        clean.outputSettings().charset("UTF-8").prettyPrint(false);
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + clean.body().html() + "</body></html>";
    }
}
