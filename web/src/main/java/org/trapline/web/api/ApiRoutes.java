package org.trapline.web.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.TerminalText;
import org.trapline.desk.ActionFilter;
import org.trapline.desk.AuditAct;
import org.trapline.desk.Desk;
import org.trapline.desk.DeskException;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.AuditEntry;
import org.trapline.desk.view.BlockView;
import org.trapline.desk.view.Json;
import org.trapline.desk.view.PurgeView;
import org.trapline.desk.view.RawMessage;
import org.trapline.desk.view.UnblockView;
import org.trapline.desk.view.View;
import org.trapline.enforcement.StaffAct;
import org.trapline.web.Refusal;
import org.trapline.web.account.Role;
import org.trapline.web.auth.ClientAddress;
import org.trapline.web.auth.Gate;
import org.trapline.web.auth.StaffSession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code /api/v1/}: the desk's views in their one JSON form each, the same the command line's {@code --json}
 * prints. The pages read the same desk calls.
 */
public final class ApiRoutes {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final int MAX_FACETS = 100;
    /** A decision's reason, at most this many characters. */
    public static final int MAX_REASON = 500;
    private static final int EXPORT_PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Desk> desk;

    public ApiRoutes(Supplier<Desk> desk) {
        this.desk = desk;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/hits", this::search);
        routes.get("/api/v1/hits/count", this::newHits);
        routes.get("/api/v1/hits/{id}", this::hit);
        routes.get("/api/v1/hits/{id}/raw", this::raw);
        routes.get("/api/v1/cases/{subscriber}", this::caseOf);
        routes.get("/api/v1/actions", this::actions);
        routes.get("/api/v1/review", this::review);
        routes.get("/api/v1/faulty-hits", this::faultyHits);
        routes.post("/api/v1/decisions", this::decide);
        routes.post("/api/v1/cases/{subscriber}/notes", this::addNote);
        routes.post("/api/v1/cases/{subscriber}/status", this::setStatus);
        routes.get("/api/v1/audit", this::audit);
        routes.get("/api/v1/audit/export", this::auditExport);
        routes.get("/api/v1/unattributed-hits", this::unattributedHits);
        routes.post("/api/v1/hits/{id}/purge", this::purge);
        routes.post("/api/v1/blocks", this::block);
        routes.post("/api/v1/unblocks", this::unblock);
        routes.get("/api/v1/brake", this::brake);
        routes.post("/api/v1/brake", this::switchBrake);
    }

    private void search(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        json(ctx, desk.get().search(ctx.queryParam("q"), number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                number(ctx, "facets", 0, 0, MAX_FACETS), ctx.queryParam("after")));
    }

    /** {@code {"count": N, "since_id": ID}}: hits matching {@code q} recorded after hit {@code since_id}. */
    private void newHits(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        String since = ctx.queryParam("since_id");
        long sinceId;
        try {
            sinceId = since == null || since.isBlank() ? 0 : Long.parseLong(since.strip());
        } catch (NumberFormatException e) {
            throw new Refusal(400, "since_id must be a hit id");
        }
        if (sinceId < 0) {
            throw new Refusal(400, "since_id must be a hit id");
        }
        long count = desk.get().newHits(ctx.queryParam("q"), sinceId);
        json(ctx, () -> com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("count", count).put("since_id", sinceId));
    }

    private void hit(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        long id = hitId(ctx);
        json(ctx, desk.get().hit(id).orElseThrow(() -> noHit(id)));
    }

    private void raw(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ANALYST);
        long id = hitId(ctx);
        RawMessage raw = desk.get().raw(id).orElseThrow(() -> noHit(id));
        if (raw.bytes() == null) {
            throw new Refusal(410, "the raw message of hit #" + id + " was purged");
        }
        LOG.info("desk: {} downloaded the raw message of hit #{}", s.staff().name(), id);
        desk.get().audit(act(ctx, s, ""), AuditAct.RAW_VIEW, "hit:" + id, "downloaded");
        attachment(ctx, "hit-" + id + ".eml", raw.sha256(), raw.bytes());
    }

    /** Bytes to save, never to show: the browser neither renders nor sniffs them. */
    public static void attachment(Context ctx, String fileName, String sha256, byte[] bytes) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        ctx.header("X-Trapline-SHA256", sha256);
        ctx.contentType("application/octet-stream").result(bytes);
    }

    private void caseOf(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        String subscriber = ctx.pathParam("subscriber");
        json(ctx, desk.get().caseOf(subscriber).orElseThrow(() -> new Refusal(404, "no trap hits of subscriber " + subscriber)));
    }

    private void actions(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        boolean pending = "true".equals(ctx.queryParam("pending"));
        String subscriber = ctx.queryParam("subscriber");
        ActionFilter filter = new ActionFilter(pending, subscriber == null || subscriber.isBlank() ? null : subscriber);
        json(ctx, new Listing("actions", desk.get().actions(filter, number(ctx, "limit", 100, 1, Desk.MAX_LIMIT))));
    }

    private void review(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        json(ctx, new Listing("items", desk.get().reviewQueue(number(ctx, "limit", 100, 1, Desk.MAX_LIMIT))));
    }

    /** Hits that named nobody for a trace or clock fault, listed beside the review queue. */
    private void faultyHits(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        json(ctx, new Listing("hits", desk.get().faultyHits(number(ctx, "limit", 100, 1, Desk.MAX_LIMIT))));
    }

    /** {@code {"action": ID, "decision": "confirm"|"dismiss", "reason": TEXT}}. */
    private void decide(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        String shape = "a decision is {\"action\": ID, \"decision\": \"confirm\" or \"dismiss\", \"reason\": TEXT}";
        JsonNode body = body(ctx, shape, "decision", "reason");
        if (!body.path("action").canConvertToLong()) {
            throw new Refusal(400, shape);
        }
        json(ctx, decide(ctx, s, body.get("action").asLong(), body.get("decision").asText(), body.get("reason").asText()));
    }

    /** {@code {"reason": TEXT}}: the hit's raw message dropped, the row kept (admin). */
    private void purge(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ADMIN);
        long id = hitId(ctx);
        String shape = "a purge is {\"reason\": TEXT}";
        JsonNode body = body(ctx, shape, "reason");
        json(ctx, purge(ctx, s, id, body.get("reason").asText()));
    }

    /** Purges a hit's raw message in the name of the logged-in admin; the hit page posts here too. */
    public PurgeView purge(Context ctx, StaffSession s, long id, String reason) {
        return desk.get().purge(id, act(ctx, s, reason(reason))).orElseThrow(() -> noHit(id));
    }

    /** Every hit that named nobody (AMBIGUOUS, NO_SESSION, NOT_OURS and the faults), newest first. */
    private void unattributedHits(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        json(ctx, new Listing("hits", desk.get().unattributedHits(number(ctx, "limit", 100, 1, Desk.MAX_LIMIT))));
    }

    /** {@code {"subscriber": TEXT, "reason": TEXT, "for": "PT2H" (optional)}}. */
    private void block(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        String shape = "a block is {\"subscriber\": TEXT, \"reason\": TEXT, \"for\": ISO-8601 duration (optional)}";
        JsonNode body = body(ctx, shape, "subscriber", "reason");
        if (!(body.path("for").isMissingNode() || body.path("for").isNull() || body.path("for").isTextual())) {
            throw new Refusal(400, shape);
        }
        json(ctx, block(ctx, s, body.get("subscriber").asText(), body.get("reason").asText(), body.path("for").textValue()));
    }

    /** Blocks a subscriber by hand in the name of the logged-in staff member; the review page posts here too. */
    public BlockView block(Context ctx, StaffSession s, String subscriber, String reason, String length) {
        String why = reason(reason);
        Duration d;
        try {
            d = length == null || length.isBlank() ? null : Duration.parse(length.strip());
        } catch (DateTimeParseException e) {
            throw new Refusal(400, "a block's length is an ISO-8601 duration such as PT2H or P1D");
        }
        return desk.get().block(subject(subscriber), act(ctx, s, why), d);
    }

    /** {@code {"subscriber": TEXT, "reason": TEXT}}. */
    private void unblock(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        String shape = "an unblock is {\"subscriber\": TEXT, \"reason\": TEXT}";
        JsonNode body = body(ctx, shape, "subscriber", "reason");
        json(ctx, unblock(ctx, s, body.get("subscriber").asText(), body.get("reason").asText()));
    }

    /** Lifts a subscriber's block in the name of the logged-in staff member; the pages post here too. */
    public UnblockView unblock(Context ctx, StaffSession s, String subscriber, String reason) {
        return desk.get().unblock(subject(subscriber), act(ctx, s, reason(reason)));
    }

    private void brake(Context ctx) {
        Gate.require(ctx, Role.VIEWER);
        json(ctx, desk.get().brake());
    }

    /** {@code {"on": true|false, "reason": TEXT}}. */
    private void switchBrake(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.APPROVER);
        String shape = "the brake's switch is {\"on\": true or false, \"reason\": TEXT}";
        JsonNode body = body(ctx, shape, "reason");
        if (!body.path("on").isBoolean()) {
            throw new Refusal(400, shape);
        }
        json(ctx, switchBrake(ctx, s, body.get("on").asBoolean(), body.get("reason").asText()));
    }

    /** Turns the brake on or off in the name of the logged-in staff member; the review page posts here too. */
    public ActionView switchBrake(Context ctx, StaffSession s, boolean on, String reason) {
        StaffAct act = act(ctx, s, reason(reason));
        return on ? desk.get().brakeOn(act) : desk.get().brakeOff(act);
    }

    /** A request's JSON body as an object whose {@code texts} fields are strings; a 400 saying {@code shape} otherwise. */
    public static JsonNode body(Context ctx, String shape, String... texts) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
            throw new Refusal(400, "not JSON: " + shape);
        }
        if (body == null || !body.isObject()) {
            throw new Refusal(400, shape);
        }
        for (String field : texts) {
            if (!body.path(field).isTextual()) {
                throw new Refusal(400, shape);
            }
        }
        return body;
    }

    /** A staff act's reason, stripped: 1 to {@value #MAX_REASON} characters. */
    public static String reason(String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw new Refusal(400, "this needs a reason of 1 to " + MAX_REASON + " characters");
        }
        return why;
    }

    private static String subject(String subscriber) {
        String s = subscriber == null ? "" : subscriber.strip();
        if (s.isEmpty()) {
            throw new Refusal(400, "name the subscriber");
        }
        return s;
    }

    /**
     * Confirms or dismisses a pending action in the name of the logged-in staff member, with the reason the
     * journal and the audit keep; the pages post here too.
     */
    public ActionView decide(Context ctx, StaffSession s, long action, String decision, String reason) {
        StaffAct act = act(ctx, s, reason(reason));
        return switch (decision.toLowerCase(Locale.ROOT)) {
            case "confirm" -> desk.get().confirm(action, act);
            case "dismiss" -> desk.get().dismiss(action, act);
            default -> throw new Refusal(400, "a decision is confirm or dismiss, not " + TerminalText.safe(decision));
        };
    }

    /** {@code {"text": TEXT}}: a note on the case, by the logged-in analyst; answers the note. */
    private void addNote(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ANALYST);
        String shape = "a note is {\"text\": TEXT}";
        JsonNode body = body(ctx, shape, "text");
        json(ctx, addNote(ctx, s, ctx.pathParam("subscriber"), body.get("text").asText()));
    }

    /** Writes a note on a subscriber's case; the case page posts here too. */
    public View addNote(Context ctx, StaffSession s, String subscriber, String text) {
        return desk.get().addNote(subscriber, act(ctx, s, ""), text);
    }

    /** {@code {"status": "open"|"waiting-for-customer"|"resolved"|"ignored", "reason": TEXT}}; answers the status. */
    private void setStatus(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ANALYST);
        String shape = "a case status is {\"status\": \"open\", \"waiting-for-customer\", \"resolved\" or \"ignored\", \"reason\": TEXT}";
        JsonNode body = body(ctx, shape, "status");
        if (!(body.path("reason").isTextual() || body.path("reason").isMissingNode())) {
            throw new Refusal(400, shape);
        }
        json(ctx, setStatus(ctx, s, ctx.pathParam("subscriber"), body.get("status").asText(), body.path("reason").asText("")));
    }

    /** Sets where a subscriber's case stands; the case page posts here too. */
    public View setStatus(Context ctx, StaffSession s, String subscriber, String status, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.length() > MAX_REASON) {
            throw new Refusal(400, "a reason is at most " + MAX_REASON + " characters");
        }
        return desk.get().setCaseStatus(subscriber, status, act(ctx, s, why));
    }

    /** {@code ?since=ISO-8601&limit=N}: the staff audit, newest first (approvers and admins). */
    private void audit(Context ctx) {
        Gate.require(ctx, Role.APPROVER);
        json(ctx, new Listing("entries", desk.get().auditLog(since(ctx), number(ctx, "limit", 100, 1, Desk.MAX_LIMIT))));
    }

    /** The whole audit as JSON lines, oldest first, with the chain's hashes, to verify away from Trapline. */
    private void auditExport(Context ctx) {
        Gate.require(ctx, Role.APPROVER);
        StringBuilder lines = new StringBuilder();
        long after = 0;
        List<AuditEntry> page;
        while (!(page = desk.get().auditAfter(after, EXPORT_PAGE)).isEmpty()) {
            for (AuditEntry e : page) {
                lines.append(Json.write(e)).append('\n');
                after = e.seq();
            }
        }
        ctx.header("Content-Disposition", "attachment; filename=\"trapline-audit.jsonl\"");
        ctx.contentType("application/x-ndjson; charset=utf-8").result(lines.toString());
    }

    /** Who acts in this request, from where, and why. */
    public static StaffAct act(Context ctx, StaffSession s, String reason) {
        return new StaffAct(s.staff().name(), ClientAddress.of(ctx), reason);
    }

    private static Instant since(Context ctx) {
        String v = ctx.queryParam("since");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new Refusal(400, "since is an ISO-8601 instant, such as 2026-12-01T08:00:00Z");
        }
    }

    private static void json(Context ctx, View view) {
        ctx.contentType("application/json").result(Json.write(view));
    }

    /** The path's hit id; a 400 when it is not a number. */
    public static long hitId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new Refusal(400, "a hit id is a number");
        }
    }

    /** The one answer for a hit that is not there (pages and API alike). */
    public static Refusal noHit(long id) {
        return new Refusal(404, "no trap hit #" + id);
    }

    static int number(Context ctx, String param, int otherwise, int min, int max) {
        String v = ctx.queryParam(param);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException fallThrough) {
            // refused below
        }
        throw new Refusal(400, param + " must be a number from " + min + " to " + max);
    }

    /** The desk's refusals as statuses: no such thing 404, a bad request 400, not now 409. */
    public static int status(DeskException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> 404;
            case BAD_INPUT -> 400;
            case CONFLICT -> 409;
        };
    }
}
