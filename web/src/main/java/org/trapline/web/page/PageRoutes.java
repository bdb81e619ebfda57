package org.trapline.web.page;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.TerminalText;
import org.trapline.desk.AuditAct;
import org.trapline.desk.Desk;
import org.trapline.desk.DeskException;
import org.trapline.desk.view.HitView;
import org.trapline.desk.view.MboxReport;
import org.trapline.desk.view.RawMessage;
import org.trapline.evidence.mime.MessageFiles;
import org.trapline.desk.view.UnattributedView;
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
    private static final Logger LOG = LoggerFactory.getLogger(PageRoutes.class);
    /** Hits on one page of search results. */
    public static final int PAGE_HITS = 50;
    /** Values shown per facet beside the results. */
    public static final int PAGE_FACET_VALUES = 10;
    /** Entries the audit page lists, the newest. */
    public static final int AUDIT_ENTRIES = 500;
    /** Hits that named nobody listed on the review page, newest first. */
    static final int UNATTRIBUTED_LISTED = 200;

    private final Supplier<Desk> desk;
    private final ApiRoutes api;
    private final Templates templates;
    private final InlineImageLinks imageLinks;

    public PageRoutes(Supplier<Desk> desk, ApiRoutes api, Templates templates, InlineImageLinks imageLinks) {
        this.desk = desk;
        this.api = api;
        this.templates = templates;
        this.imageLinks = imageLinks;
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.redirect("/search", HttpStatus.SEE_OTHER));
        routes.get("/search", this::search);
        routes.get("/hits/{id}", this::hit);
        routes.get("/hits/{id}/html", this::html);
        routes.get("/hits/{id}/attachments/{n}", this::attachment);
        routes.get("/hits/{id}/cid/{cid}", this::inlineImage);
        routes.get("/cases/{subscriber}", this::caseOf);
        routes.get("/review", this::review);
        routes.post("/review/{action}", this::decide);
        routes.get("/cases/{subscriber}/export", this::export);
        routes.post("/blocks", this::block);
        routes.post("/unblocks", this::unblock);
        routes.post("/brake", this::brake);
        routes.post("/hits/{id}/purge", this::purge);
        routes.post("/cases/{subscriber}/notes", this::addNote);
        routes.post("/cases/{subscriber}/status", this::setStatus);
        routes.get("/audit", this::audit);
    }

    private void addNote(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ANALYST);
        String subscriber = ctx.pathParam("subscriber");
        api.addNote(ctx, s, subscriber, ctx.formParam("text"));
        ctx.redirect(Links.caseOf(subscriber) + "#notes", HttpStatus.SEE_OTHER);
    }

    private void setStatus(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ANALYST);
        String subscriber = ctx.pathParam("subscriber");
        String status = ctx.formParam("status");
        api.setStatus(ctx, s, subscriber, status == null ? "" : status, ctx.formParam("reason"));
        ctx.redirect(Links.caseOf(subscriber) + "#case-status", HttpStatus.SEE_OTHER);
    }

    /** The newest entries of the staff audit; {@code ?verify=1} walks the chain too. */
    private void audit(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        Desk d = desk.get();
        templates.render(ctx, "audit.jte", new AuditPage(Chrome.of(s), d.auditLog(null, AUDIT_ENTRIES),
                "1".equals(ctx.queryParam("verify")) ? d.verifyAudit() : null));
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
        Optional<MessageParts> parts = desk.get().raw(id).filter(r -> r.bytes() != null).map(r -> MessageParts.of(r.bytes()));
        List<MessageParts.HeaderLine> headers = parts.map(MessageParts::headers).orElse(List.of());
        templates.render(ctx, "hit.jte", new HitPage(Chrome.of(s), hit, headers, parts.flatMap(MessageParts::html).isPresent(),
                Timeline.of(hit.chain(), headers)));
    }

    /** One attachment, to save and never to show (analysts, as the raw message). */
    private void attachment(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ANALYST);
        long id = ApiRoutes.hitId(ctx);
        int n;
        try {
            n = Integer.parseInt(ctx.pathParam("n"));
        } catch (NumberFormatException e) {
            throw new Refusal(400, "an attachment number is a number");
        }
        MessageFiles parts = MessageFiles.of(kept(id));
        MessageFiles.Attachment listed = parts.attachments().listed().stream().filter(a -> a.number() == n).findFirst()
                .orElseThrow(() -> new Refusal(404, "hit #" + id + " has no attachment " + n));
        byte[] bytes = parts.attachment(n).orElseThrow(() -> new Refusal(404, "hit #" + id + " has no attachment " + n));
        LOG.info("desk: {} downloaded attachment {} of hit #{}", s.staff().name(), n, id);
        desk.get().audit(ApiRoutes.act(ctx, s, ""), AuditAct.RAW_VIEW, "hit:" + id, "attachment " + n + " downloaded");
        ApiRoutes.attachment(ctx, DownloadName.of(listed.name(), "hit-" + id + "-attachment-" + n), listed.sha256(), bytes);
    }

    /**
     * An image the message carries by Content-ID, for its sandboxed HTML view only: asked for with a link the
     * HTML route signed (the frame's requests carry no session cookie), fetched as an image, of a plain image
     * type, answered under a policy that lets nothing in it run or load. The gate lets these paths through.
     */
    private void inlineImage(Context ctx) {
        long id = ApiRoutes.hitId(ctx);
        String cid = ctx.pathParam("cid");
        if (!imageLinks.valid(id, cid, ctx.queryParam("exp"), ctx.queryParam("sig"))) {
            throw new Refusal(403, "this image link is not the desk's, or it expired: open the hit page again");
        }
        if (!"image".equals(ctx.header("Sec-Fetch-Dest"))) {
            throw new Refusal(403, "inline images are served to the message's HTML view only");
        }
        MessageFiles.InlineImage image = MessageFiles.of(kept(id)).inlineImage(cid)
                .orElseThrow(() -> new Refusal(404, "hit #" + id + " has no inline image by that Content-ID"));
        SecurityHeaders.inlineImage(ctx);
        ctx.contentType(image.contentType()).result(image.bytes());
    }

    /** The raw message of a hit that still has it. */
    private byte[] kept(long id) {
        return desk.get().raw(id).map(RawMessage::bytes).orElseThrow(() -> new Refusal(404, "no message kept for hit #" + id));
    }

    /** The spam's HTML, inert, for the hit page's sandboxed frame only. */
    private void html(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        long id = ApiRoutes.hitId(ctx);
        byte[] raw = desk.get().raw(id).map(RawMessage::bytes).orElseThrow(() -> new Refusal(404, "no HTML kept for hit #" + id));
        String html = MessageParts.of(raw).html().orElseThrow(() -> new Refusal(404, "hit #" + id + " has no HTML part"));
        SecurityHeaders.spamHtml(ctx);
        ctx.contentType("text/html; charset=utf-8").result(SpamHtml.inert(html, cid -> imageLinks.link(id, cid)));
    }

    private void caseOf(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.VIEWER);
        String subscriber = ctx.pathParam("subscriber");
        templates.render(ctx, "case.jte", CasePage.of(Chrome.of(s), desk.get().caseOf(subscriber)
                .orElseThrow(() -> new Refusal(404, "no trap hits of subscriber " + subscriber))));
    }

    /** The case's kept messages as one mbox download, oldest first. */
    private void export(Context ctx) throws java.io.IOException {
        StaffSession s = Gate.require(ctx, Role.ANALYST);
        String subscriber = ctx.pathParam("subscriber");
        // Streamed, not held: a case of thousands of messages is tens of megabytes. The headers go out when the first message does.
        MboxReport report = desk.get().caseMbox(subscriber, () -> {
            ctx.header("Content-Disposition", "attachment; filename=\"" + DownloadName.of("case-" + subscriber + ".mbox", "case") + "\"");
            ctx.contentType("application/mbox");
            return ctx.outputStream();
        }).orElseThrow(() -> new Refusal(404, "no trap hits of subscriber " + subscriber));
        LOG.info("desk: {} exported the case of {} ({} messages, {} purged)", s.staff().name(), TerminalText.safe(subscriber),
                report.written(), report.purged());
    }

    private void review(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.VIEWER);
        List<UnattributedView> nobody = desk.get().unattributedHits(UNATTRIBUTED_LISTED).stream()
                .filter(u -> !u.hit().attribution().fault()).toList();
        templates.render(ctx, "review.jte", new ReviewPage(Chrome.of(s), desk.get().reviewQueue(200), desk.get().faultyHits(200),
                nobody, desk.get().brake()));
    }

    private void block(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        api.block(ctx, s, ctx.formParam("subscriber"), ctx.formParam("reason"), ctx.formParam("for"));
        ctx.redirect("/review", HttpStatus.SEE_OTHER);
    }

    private void unblock(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        String subscriber = ctx.formParam("subscriber");
        api.unblock(ctx, s, subscriber, ctx.formParam("reason"));
        String back = ctx.formParam("back");
        ctx.redirect("case".equals(back) && subscriber != null ? Links.caseOf(subscriber.strip()) : "/review", HttpStatus.SEE_OTHER);
    }

    private void purge(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ADMIN);
        long id = ApiRoutes.hitId(ctx);
        api.purge(ctx, s, id, ctx.formParam("reason"));
        ctx.redirect("/hits/" + id, HttpStatus.SEE_OTHER);
    }

    private void brake(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        api.switchBrake(ctx, s, "on".equals(ctx.formParam("switch")), ctx.formParam("reason"));
        ctx.redirect("/review", HttpStatus.SEE_OTHER);
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
        api.decide(ctx, s, action, decision == null ? "" : decision, ctx.formParam("reason"));
        ctx.redirect("/review", HttpStatus.SEE_OTHER);
    }
}
