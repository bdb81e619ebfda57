package org.trapline.web.auth;

import java.util.Optional;

import org.trapline.web.Refusal;
import org.trapline.web.account.Role;

import io.javalin.http.Context;

/**
 * What every request passes before any route looks anything up: a live session (else
 * {@link LoginRequired}, the same for a known and an unknown id), and on a POST its CSRF token. Routes
 * then name the role they need.
 */
public final class Gate {
    public static final String SESSION_COOKIE = "trapline_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String SESSION = "trapline.session";

    private final StaffSessions sessions;
    private final Optional<TrustedProxy> proxy;

    public Gate(StaffSessions sessions) {
        this(sessions, Optional.empty());
    }

    /** @param proxy the single-sign-on proxy whose header names staff, when one is configured */
    public Gate(StaffSessions sessions, Optional<TrustedProxy> proxy) {
        this.sessions = sessions;
        this.proxy = proxy;
    }

    /** A message's own image for its sandboxed HTML view: the route checks the signed link it was given instead. */
    private static final java.util.regex.Pattern INLINE_IMAGE = java.util.regex.Pattern.compile("/hits/[0-9]{1,19}/cid/[^/]+");

    /** Paths anyone may ask for: the login itself, the desk's static files, and signed inline-image links. */
    public static boolean open(String path) {
        return path.equals("/login") || path.equals("/api/v1/login") || path.startsWith("/static/") || INLINE_IMAGE.matcher(path).matches();
    }

    /** The before-handler of every path: a trusted proxy's header is checked on all, the session on those not {@link #open}. */
    public void check(Context ctx) {
        Optional<StaffSession> had = open(ctx.path()) && proxy.isEmpty() ? Optional.empty() : sessions.find(ctx.cookie(SESSION_COOKIE));
        // The proxy's header is checked on every path, the open ones too: from anyone but the proxy it is refused.
        Optional<StaffSession> found = proxy.isPresent() ? proxy.get().session(ctx, had) : had;
        if (open(ctx.path())) {
            return;
        }
        StaffSession s = found.orElseThrow(LoginRequired::new);
        if (!ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")) {
            String given = ctx.header(CSRF_HEADER);
            if (given == null && isForm(ctx)) {
                given = ctx.formParam("csrf");
            }
            if (!StaffSessions.same(s.csrf(), given)) {
                throw new Refusal(403, "missing or wrong CSRF token (reload the page)");
            }
        }
        ctx.attribute(SESSION, s);
    }

    /** The session of this request, with at least {@code role}; 403 otherwise. */
    public static StaffSession require(Context ctx, Role role) {
        StaffSession s = ctx.attribute(SESSION);
        if (s == null) {
            throw new LoginRequired();
        }
        if (!s.staff().role().allows(role)) {
            throw new Refusal(403, "this needs the " + role.text() + " role; " + s.staff().name() + " is " + s.staff().role().text());
        }
        return s;
    }

    static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }
}
