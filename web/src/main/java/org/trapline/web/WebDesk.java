package org.trapline.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.desk.Desk;
import org.trapline.desk.DeskException;
import org.trapline.desk.view.Json;
import org.trapline.desk.view.View;
import org.trapline.web.account.StaffAccounts;
import org.trapline.web.account.UsersRoutes;
import org.trapline.web.api.ApiRoutes;
import org.trapline.web.auth.ClientAddress;
import org.trapline.web.auth.Gate;
import org.trapline.web.auth.LoginRequired;
import org.trapline.web.auth.LoginRoutes;
import org.trapline.web.auth.LoginThrottle;
import org.trapline.web.auth.StaffSessions;
import org.trapline.web.auth.TrustedProxy;
import org.trapline.web.page.ErrorPage;
import org.trapline.web.page.InlineImageLinks;
import org.trapline.web.page.PageRoutes;
import org.trapline.web.page.Templates;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * The abuse desk in a browser: Javalin on Jetty 12, serving the login, the {@code /api/v1/} JSON API and the
 * pages over the {@link Desk} service and the staff accounts of one data directory. Every asset is its own
 * (no CDN; one small script of its own, the search page's live count); every answer carries {@link SecurityHeaders}; every path but the login and the
 * stylesheet wants a live session before anything is looked up.
 */
public final class WebDesk implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebDesk.class);
    /** Request threads: the desk serves a few staff and must not take the MX's cores. */
    private static final int MAX_THREADS = 16;
    private static final long MAX_REQUEST_BYTES = 64 * 1024;

    private final Javalin app;
    private final String address;
    private final String relayKey;

    private WebDesk(Javalin app, String address, String relayKey) {
        this.app = app;
        this.address = address;
        this.relayKey = relayKey;
    }

    /**
     * Starts listening on {@code settings}' address.
     *
     * @param desk  the data directory's desk (its stores opened on first use by whoever owns them)
     * @param staff the data directory's staff accounts, likewise
     * @throws IllegalStateException when it cannot listen there, with the address in the message
     */
    public static WebDesk start(DeskSettings settings, Supplier<Desk> desk, Supplier<StaffAccounts> staff, Clock clock) {
        Templates templates = new Templates();
        StaffSessions sessions = new StaffSessions(clock);
        String relayKey = sessions.token();
        ClientAddress clients = new ClientAddress(relayKey);
        Gate gate = new Gate(sessions, Optional.ofNullable(settings.trustedProxyHeader())
                .map(h -> new TrustedProxy(h, settings.trustedProxyFrom(), staff, sessions, settings.behindTls())));
        ApiRoutes api = new ApiRoutes(desk);
        LoginRoutes login = new LoginRoutes(staff, desk, sessions, new LoginThrottle(clock), templates, settings.behindTls());
        PageRoutes pages = new PageRoutes(desk, api, templates, new InlineImageLinks(clock));
        UsersRoutes users = new UsersRoutes(staff, desk, sessions, templates);
        byte[] css = resource("static/desk.css");
        byte[] liveCount = resource("static/live-count.js");
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.http.generateEtags = false;
            config.jetty.threadPool = new QueuedThreadPool(MAX_THREADS, 2, 60_000);
            config.routes.before(ctx -> {
                SecurityHeaders.apply(ctx);
                clients.resolve(ctx);
                gate.check(ctx);
            });
            config.routes.get("/static/desk.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(css));
            config.routes.get("/static/live-count.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(liveCount));
            login.register(config.routes);
            api.register(config.routes);
            pages.register(config.routes);
            users.register(config.routes);
            config.routes.exception(LoginRequired.class, (e, ctx) -> {
                if (isApi(ctx)) {
                    error(ctx, 401, e.getMessage());
                } else {
                    ctx.redirect("/login", HttpStatus.SEE_OTHER);
                }
            });
            config.routes.exception(Refusal.class, (e, ctx) -> refuse(ctx, templates, e.status(), e.getMessage()));
            config.routes.exception(DeskException.class, (e, ctx) -> refuse(ctx, templates, ApiRoutes.status(e), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("desk: {} {} failed", ctx.method(), ctx.path(), e);
                refuse(ctx, templates, 500, "the desk could not answer (the server log says why)");
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    refuse(ctx, templates, 404, "no such page");
                }
            });
        });
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            app.stop();
            throw new IllegalStateException("the web desk cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + rootMessage(e), e);
        }
        String host = settings.host().indexOf(':') >= 0 ? "[" + settings.host() + "]" : settings.host();
        String address = host + ":" + app.port();
        LOG.info("Trapline web desk on http://{}/", address);
        return new WebDesk(app, address, relayKey);
    }

    /** HOST:PORT it listens on, the port as bound (also when 0 was asked for). */
    public String address() {
        return address;
    }

    /**
     * The key the server's half of {@code bin/trapline desk} sends with the browser's address
     * ({@link ClientAddress}); it stays in this process.
     */
    public String relayKey() {
        return relayKey;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    static boolean isApi(Context ctx) {
        return ctx.path().startsWith("/api/");
    }

    private static void refuse(Context ctx, Templates templates, int status, String message) {
        SecurityHeaders.apply(ctx);
        ctx.status(status);
        if (isApi(ctx)) {
            error(ctx, status, message);
        } else {
            templates.render(ctx, "error.jte", new ErrorPage(null, status, message));
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json")
                .result(Json.write((View) () -> JsonNodeFactory.instance.objectNode().put("error", message)));
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebDesk.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
