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
 * spammer). Links become their text; images become their alt text.
 */
public final class SpamHtml {
    private static final Pattern REMOTE_IN_STYLE = Pattern.compile("(?i)url\\s*\\(|expression\\s*\\(|@import|behavior\\s*:|\\\\");

    /** Layout and text only; built once, never changed after (jsoup's Cleaner only reads it). */
    private static final Safelist ALLOWED = Safelist.relaxed()
            .removeTags("img", "a")
            .addTags("span", "font", "center", "hr")
            .addAttributes(":all", "style", "align", "bgcolor", "color", "width", "height", "dir")
            .addAttributes("font", "face", "size");

    private SpamHtml() {
    }

    /** A whole HTML document, UTF-8, safe to serve under {@code SecurityHeaders.SPAM_HTML_POLICY}. */
    public static String inert(String html) {
        Document dirty = Jsoup.parse(html);
        // Before cleaning, while they are still there: links and images say what they were, as text.
        for (Element img : dirty.select("img")) {
            String alt = img.attr("alt").strip();
            img.replaceWith(new org.jsoup.nodes.TextNode(alt.isEmpty() ? "[image removed]" : "[image: " + alt + "]"));
        }
        dirty.select("a").unwrap();
        Document clean = new Cleaner(ALLOWED).clean(dirty);
        for (Element e : clean.select("[style]")) {
            if (REMOTE_IN_STYLE.matcher(e.attr("style")).find()) {
                e.removeAttr("style");
            }
        }
        clean.outputSettings().charset("UTF-8").prettyPrint(false);
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + clean.body().html() + "</body></html>";
    }
}
