package org.trapline.web.account;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.TerminalText;
import org.trapline.desk.AuditAct;
import org.trapline.desk.Desk;
import org.trapline.desk.view.Json;
import org.trapline.desk.view.View;
import org.trapline.web.Refusal;
import org.trapline.web.api.ApiRoutes;
import org.trapline.web.auth.Gate;
import org.trapline.web.auth.StaffSession;
import org.trapline.web.auth.StaffSessions;
import org.trapline.web.page.Chrome;
import org.trapline.web.page.Templates;
import org.trapline.web.page.UsersPage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * The admin's staff pages: {@code /admin/users} and {@code /api/v1/users} list the accounts, add one with a
 * role and an initial password, change a role, disable or enable. A disabled account's sessions end at once,
 * and so do those of one whose role changed (they log in again with the new one). The last enabled admin can
 * be neither demoted nor disabled.
 */
public final class UsersRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(UsersRoutes.class);

    private final Supplier<StaffAccounts> accounts;
    private final Supplier<Desk> desk;
    private final StaffSessions sessions;
    private final Templates templates;

    /** @param desk where each change is entered in the staff audit */
    public UsersRoutes(Supplier<StaffAccounts> accounts, Supplier<Desk> desk, StaffSessions sessions, Templates templates) {
        this.accounts = accounts;
        this.desk = desk;
        this.sessions = sessions;
        this.templates = templates;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/users", this::list);
        routes.post("/api/v1/users", this::apiAdd);
        routes.post("/api/v1/users/{name}", this::apiChange);
        routes.get("/admin/users", this::page);
        routes.post("/admin/users", this::formAdd);
        routes.post("/admin/users/{name}", this::formChange);
    }

    private void list(Context ctx) {
        Gate.require(ctx, Role.ADMIN);
        List<StaffMember> all = accounts.get().members();
        ctx.contentType("application/json").result(Json.write((View) () -> {
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            ArrayNode users = m.putArray("users");
            all.forEach(u -> users.add(json(u)));
            return m;
        }));
    }

    /** {@code {"name": TEXT, "role": ROLE, "password": TEXT}}. */
    private void apiAdd(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ADMIN);
        String shape = "a new staff member is {\"name\": TEXT, \"role\": \"viewer\"|\"analyst\"|\"approver\"|\"admin\", \"password\": TEXT}";
        JsonNode body = ApiRoutes.body(ctx, shape, "name", "role", "password");
        StaffMember added = add(ctx, s, body.get("name").asText(), body.get("role").asText(), body.get("password").asText());
        ctx.status(201);
        answer(ctx, added);
    }

    /** {@code {"role": ROLE, "enabled": true|false}}, either or both. */
    private void apiChange(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ADMIN);
        String shape = "a change is {\"role\": ROLE, \"enabled\": true or false}, either or both";
        JsonNode body = ApiRoutes.body(ctx, shape);
        boolean role = body.path("role").isTextual();
        boolean enabled = body.path("enabled").isBoolean();
        if (!role && !enabled || body.has("role") && !role || body.has("enabled") && !enabled) {
            throw new Refusal(400, shape);
        }
        answer(ctx, change(ctx, s, ctx.pathParam("name"), role ? body.get("role").asText() : null,
                enabled ? body.get("enabled").asBoolean() : null));
    }

    private void page(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ADMIN);
        templates.render(ctx, "users.jte", new UsersPage(Chrome.of(s), accounts.get().members()));
    }

    private void formAdd(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ADMIN);
        add(ctx, s, ctx.formParam("name"), ctx.formParam("role"), ctx.formParam("password"));
        ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
    }

    private void formChange(Context ctx) {
        StaffSession s = Gate.require(ctx, Role.ADMIN);
        String role = ctx.formParam("role");
        String enabled = ctx.formParam("enabled");
        change(ctx, s, ctx.pathParam("name"), role == null || role.isBlank() ? null : role,
                enabled == null || enabled.isBlank() ? null : "true".equals(enabled));
        ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
    }

    private StaffMember add(Context ctx, StaffSession s, String name, String role, String password) {
        if (name == null || password == null) {
            throw new Refusal(400, "a new staff member needs a name, a role and an initial password");
        }
        StaffMember added;
        try {
            added = new StaffMember(accounts.get().add(name.strip(), Role.parse(role), password.toCharArray()), true);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, e.getMessage());
        }
        LOG.info("desk: {} added staff member {} as {}", s.staff().name(), added.account().name(), added.account().role().text());
        desk.get().audit(ApiRoutes.act(ctx, s, ""), AuditAct.USER_ADD, "user:" + added.account().name(), added.account().role().text());
        return added;
    }

    /** Changes the role and/or the enabled state; the account's sessions end either way. */
    private StaffMember change(Context ctx, StaffSession s, String name, String role, Boolean enabled) {
        StaffMember changed = null;
        try {
            if (role != null) {
                changed = accounts.get().changeRole(name, Role.parse(role));
            }
            if (enabled != null) {
                changed = accounts.get().setEnabled(name, enabled);
            }
        } catch (NoSuchElementException e) {
            throw new Refusal(404, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw new Refusal(409, e.getMessage());
        }
        sessions.endAll(name);
        String now = "role " + changed.account().role().text() + ", " + (changed.enabled() ? "enabled" : "disabled");
        LOG.info("desk: {} changed staff member {}: {}", s.staff().name(), TerminalText.safe(name), now);
        desk.get().audit(ApiRoutes.act(ctx, s, ""), AuditAct.USER_ROLE, "user:" + changed.account().name(), now);
        return changed;
    }

    private static void answer(Context ctx, StaffMember m) {
        ctx.contentType("application/json").result(Json.write((View) () -> json(m)));
    }

    private static ObjectNode json(StaffMember m) {
        return JsonNodeFactory.instance.objectNode().put("name", m.account().name()).put("role", m.account().role().text()).put("enabled", m.enabled());
    }
}
