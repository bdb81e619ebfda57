package org.trapline.web;

import io.javalin.http.Context;

/**
 * The headers every answer carries: the desk shows adversaries' text to the people who can cut customers
 * off, so nothing is framed, sniffed, referred or loaded from elsewhere.
 */
public final class SecurityHeaders {
    /** Pages: own assets only (the desk's own script files, never inline script), never framed. */
    public static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    /**
     * A spam's HTML, shown in a sandboxed frame of the hit page: nothing may load, run or submit; inline
     * styles only. The sandbox directive holds also when the route is opened on its own.
     */
    public static final String SPAM_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'self'; sandbox";
    /** An image the message carries, shown inside its HTML view: nothing in it may run or load. */
    public static final String INLINE_IMAGE_POLICY = "default-src 'none'; frame-ancestors 'self'; sandbox";

    private SecurityHeaders() {
    }

    public static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", PAGE_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        ctx.header("Cache-Control", "no-store");
    }

    /** For the inline-image route only. */
    public static void inlineImage(Context ctx) {
        ctx.header("Content-Security-Policy", INLINE_IMAGE_POLICY);
        // The sandboxed frame that asks for it has an opaque origin, never "same-origin".
        ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
    }

    /** For the spam HTML route only. */
    public static void spamHtml(Context ctx) {
        ctx.header("Content-Security-Policy", SPAM_HTML_POLICY);
        ctx.header("X-Frame-Options", "SAMEORIGIN");
    }
}
