package org.trapline.web.page;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.DeskException;
import org.trapline.desk.view.HitView;
import org.trapline.desk.view.RawMessage;
import org.trapline.web.Refusal;
import org.trapline.web.SecurityHeaders;
import org.trapline.web.account.Role;
import org.trapline.web.api.ApiRoutes;
import org.trapline.web.auth.Gate;
import org.trapline.web.auth.StaffSession;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** The desk's pages, rendered on the server from the same desk calls the API answers with. */
public final class PageRoutes {
    /** Hits on one page of search results. */
    public static final int PAGE_HITS = 50;
    /** Values shown per facet beside the results. */
    public static final int PAGE_FACET_VALUES = 10;

    private final Supplier<Desk> desk;
    private final ApiRoutes api;
    private final Templates templates;

    public PageRoutes(Supplier<Desk> desk, ApiRoutes api, Templates templates) {
        this.desk = desk;
        this.api = api;
        this.templates = templates;
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.redirect("/search", HttpStatus.SEE_OTHER));
        routes.get("/search", this::search);
        routes.get("/hits/{id}", this::hit);
        routes.get("/hits/{id}/html", this::html);
        routes.get("/cases/{subscriber}", this::caseOf);
        routes.get("/review", this::review);
        routes.post("/review/{action}", this::decide);
    }

    private void search(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.VIEWER);
        String q = ctx.queryParam("q");
        String query = q == null ? "" : q;
        try {
            String after = ctx.queryParam("after");
            templates.render(ctx, "search.jte", SearchPage.of(Chrome.of(s), query,
                    desk.get().search(query, PAGE_HITS, PAGE_FACET_VALUES, after), after == null || after.isBlank()));
        } catch (DeskException e) {
            if (e.reason() != DeskException.Reason.BAD_INPUT) {
                throw e;
            }
            ctx.status(400);
            templates.render(ctx, "search.jte", SearchPage.failed(Chrome.of(s), query, e.getMessage()));
        }
    }

    private void hit(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.VIEWER);
        long id = ApiRoutes.hitId(ctx);
        HitView hit = desk.get().hit(id).orElseThrow(() -> ApiRoutes.noHit(id));
        Optional<MessageParts> parts = desk.get().raw(id).map(r -> MessageParts.of(r.bytes()));
        templates.render(ctx, "hit.jte", new HitPage(Chrome.of(s), hit, parts.map(MessageParts::headers).orElse(List.of()),
                parts.flatMap(MessageParts::html).isPresent()));
    }

    /** The spam's HTML, inert, for the hit page's sandboxed frame only. */
    private void html(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        long id = ApiRoutes.hitId(ctx);
        byte[] raw = desk.get().raw(id).map(RawMessage::bytes).orElseThrow(() -> new Refusal(404, "no HTML kept for hit #" + id));
        String html = MessageParts.of(raw).html().orElseThrow(() -> new Refusal(404, "hit #" + id + " has no HTML part"));
        SecurityHeaders.spamHtml(ctx);
        ctx.contentType("text/html; charset=utf-8").result(SpamHtml.inert(html));
    }

    private void caseOf(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.VIEWER);
        String subscriber = ctx.pathParam("subscriber");
        templates.render(ctx, "case.jte", new CasePage(Chrome.of(s), desk.get().caseOf(subscriber)
                .orElseThrow(() -> new Refusal(404, "no trap hits of subscriber " + subscriber))));
    }

    private void review(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.VIEWER);
        templates.render(ctx, "review.jte", new ReviewPage(Chrome.of(s), desk.get().reviewQueue(200), desk.get().faultyHits(200)));
    }

    private void decide(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        long action;
        try {
            action = Long.parseLong(ctx.pathParam("action"));
        } catch (NumberFormatException e) {
            throw new Refusal(400, "an action id is a number");
        }
        String decision = ctx.formParam("decision");
        api.decide(s, action, decision == null ? "" : decision, ctx.formParam("reason"));
        ctx.redirect("/review", HttpStatus.SEE_OTHER);
    }
}
