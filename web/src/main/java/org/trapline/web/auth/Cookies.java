package org.trapline.web.auth;

import io.javalin.http.Context;

/** The desk's cookies, all set one way: HttpOnly, SameSite=Strict, Secure over TLS. */
final class Cookies {
    private Cookies() {
    }

    /** A {@code Set-Cookie} value; a session cookie unless {@code maxAge} ≥ 0. */
    static String of(Context ctx, boolean behindTls, String name, String value, String path, int maxAge) {
        boolean secure = behindTls || "https".equals(ctx.scheme());
        return name + "=" + value + "; Path=" + path + (maxAge >= 0 ? "; Max-Age=" + maxAge : "") + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
