package org.trapline.web.auth;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.TerminalText;
import org.trapline.desk.AuditAct;
import org.trapline.desk.Desk;
import org.trapline.desk.view.Json;
import org.trapline.desk.view.View;
import org.trapline.enforcement.StaffAct;
import org.trapline.web.Refusal;
import org.trapline.web.account.StaffAccount;
import org.trapline.web.account.StaffAccounts;
import org.trapline.web.api.ApiRoutes;
import org.trapline.web.page.LoginPage;
import org.trapline.web.page.Templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Logging in and out: a form for browsers, {@code POST /api/v1/login} with JSON for scripts. Failed logins
 * are throttled per address and per name; the session cookie is HttpOnly and SameSite=Strict, and Secure
 * when the desk is reached over TLS. Logins, failed logins and logouts are entered in the desk's audit.
 */
public final class LoginRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(LoginRoutes.class);
    /** The login form's CSRF token, doubled in a cookie a page of another site cannot set. */
    static final String LOGIN_COOKIE = "trapline_login";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    private final java.util.function.Supplier<StaffAccounts> accounts;
    private final java.util.function.Supplier<Desk> desk;
    private final StaffSessions sessions;
    private final LoginThrottle throttle;
    private final Templates templates;
    private final boolean behindTls;

    public LoginRoutes(java.util.function.Supplier<StaffAccounts> accounts, java.util.function.Supplier<Desk> desk, StaffSessions sessions,
                       LoginThrottle throttle, Templates templates, boolean behindTls) {
        this.accounts = accounts;
        this.desk = desk;
        this.sessions = sessions;
        this.throttle = throttle;
        this.templates = templates;
        this.behindTls = behindTls;
    }

    public void register(RoutesConfig routes) {
        routes.get("/login", this::form);
        routes.post("/login", this::formLogin);
        routes.post("/api/v1/login", this::apiLogin);
        routes.post("/logout", this::logout);
    }

    private void form(Context ctx) {
        if (sessions.find(ctx.cookie(Gate.SESSION_COOKIE)).isPresent()) {
            ctx.redirect("/search", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        showForm(ctx, null);
    }

    private void showForm(Context ctx, String error) {
        // A browser asks for more than the form (a favicon, say) and each answer would mint a token: keep the one it has.
        String had = ctx.cookie(LOGIN_COOKIE);
        String csrf = had != null && TOKEN.matcher(had).matches() ? had : sessions.token();
        ctx.res().addHeader("Set-Cookie", cookie(ctx, LOGIN_COOKIE, csrf, "/login", -1));
        templates.render(ctx, "login.jte", new LoginPage(csrf, error));
    }

    private void formLogin(Context ctx) {
        if (!Gate.isForm(ctx) || !StaffSessions.same(ctx.cookie(LOGIN_COOKIE), ctx.formParam("csrf"))) {
            throw new Refusal(403, "the login form expired; reload the page");
        }
        String name = ctx.formParam("name");
        Optional<StaffSession> s = login(ctx, name, ctx.formParam("password"));
        if (s.isEmpty()) {
            ctx.status(401);
            showForm(ctx, "wrong name or password");
            return;
        }
        ctx.res().addHeader("Set-Cookie", cookie(ctx, LOGIN_COOKIE, "", "/login", 0));
        ctx.redirect("/search", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /**
     * JSON in, JSON out. A page of another site can send no JSON body without a CORS preflight, which the
     * desk never answers, so the content type is this route's CSRF defence.
     */
    private void apiLogin(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Refusal(415, "send the login as application/json: {\"name\": ..., \"password\": ...}");
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
            throw new Refusal(400, "the login is not JSON");
        }
        if (body == null || !body.path("name").isTextual() || !body.path("password").isTextual()) {
            throw new Refusal(400, "the login needs \"name\" and \"password\" as strings");
        }
        StaffSession s = login(ctx, body.get("name").asText(), body.get("password").asText())
                .orElseThrow(() -> new Refusal(401, "wrong name or password"));
        ctx.contentType("application/json").result(Json.write((View) () -> JsonNodeFactory.instance.objectNode()
                .put("staff", s.staff().name()).put("role", s.staff().role().text()).put("csrf", s.csrf())));
    }

    private Optional<StaffSession> login(Context ctx, String name, String password) {
        String who = name == null ? "" : name.strip();
        Duration wait = throttle.wait(ClientAddress.of(ctx), who);
        if (!wait.isZero()) {
            ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
            throw new Refusal(429, "too many failed logins; try again in " + Math.max(1, wait.toMinutes()) + " minutes");
        }
        Optional<StaffAccount> staff = password == null ? Optional.empty() : accounts.get().verify(who, password.toCharArray());
        if (staff.isEmpty()) {
            throttle.failed(ClientAddress.of(ctx), who);
            LOG.warn("desk: failed login as {} from {}", TerminalText.safe(who), ClientAddress.of(ctx));
            desk.get().audit(new StaffAct(who.isEmpty() ? "-" : who, ClientAddress.of(ctx), ""), AuditAct.LOGIN_FAILED, "user:" + who, null);
            return Optional.empty();
        }
        throttle.succeeded(who);
        StaffSession s = sessions.open(staff.get());
        ctx.res().addHeader("Set-Cookie", cookie(ctx, Gate.SESSION_COOKIE, s.token(), "/", -1));
        LOG.info("desk: {} logged in from {}", s.staff().name(), ClientAddress.of(ctx));
        desk.get().audit(ApiRoutes.act(ctx, s, ""), AuditAct.LOGIN, "user:" + s.staff().name(), s.staff().role().text());
        return Optional.of(s);
    }

    private void logout(Context ctx) {
        StaffSession s = Gate.require(ctx, org.trapline.web.account.Role.VIEWER);
        sessions.close(s.token());
        desk.get().audit(ApiRoutes.act(ctx, s, ""), AuditAct.LOGOUT, "user:" + s.staff().name(), null);
        ctx.res().addHeader("Set-Cookie", cookie(ctx, Gate.SESSION_COOKIE, "", "/", 0));
        ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** A cookie as the desk sets them all: HttpOnly, SameSite=Strict, Secure over TLS; a session cookie unless maxAge ≥ 0. */
    private String cookie(Context ctx, String name, String value, String path, int maxAge) {
        return Cookies.of(ctx, behindTls, name, value, path, maxAge);
    }

}
