package org.trapline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.common.net.IpAddress;
import org.trapline.web.auth.ClientAddress;
import org.trapline.web.auth.Gate;
import org.trapline.web.auth.LoginThrottle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The admin's staff accounts and purge, the login by a trusted proxy's header, and the browser's address
 * a relayed request carries: over HTTP against the desk, as staff and attackers would send them.
 */
class StaffAdminTest extends DeskOverHttp {
    static final String JSON = "application/json";


    HttpResponse<byte[]> login(Http h, String name, String... headers) {
        return h.post("/api/v1/login", JSON, "{\"name\": \"" + name + "\", \"password\": \"" + DeskFixture.PASSWORD + "\"}", headers);
    }

    String[] session(String name) {
        return login(name);
    }

    HttpResponse<byte[]> post(String[] s, String path, String body) {
        return http.post(path, JSON, body, "Cookie", s[0], Gate.CSRF_HEADER, s[1]);
    }

    @Test
    void anAdminAddsChangesAndDisablesStaffAndADisabledMembersSessionsEndAtOnce() {
        String[] approver = session("approver");
        assertThat(http.get("/api/v1/users", "Cookie", approver[0]).statusCode()).isEqualTo(403);
        assertThat(http.get("/admin/users", "Cookie", approver[0]).statusCode()).isEqualTo(403);
        String[] admin = session("admin");
        JsonNode users = Http.json(http.get("/api/v1/users", "Cookie", admin[0]));
        assertThat(users.get("users")).extracting(u -> u.get("name").asText()).containsExactly("admin", "analyst", "approver", "viewer");
        assertThat(Http.text(http.get("/admin/users", "Cookie", admin[0]))).contains("id=\"users\"", "id=\"add-user\"");

        assertThat(post(admin, "/api/v1/users", "{\"name\": \"dana\", \"role\": \"root\", \"password\": \"" + DeskFixture.PASSWORD + "\"}")
                .statusCode()).isEqualTo(400);
        assertThat(post(admin, "/api/v1/users", "{\"name\": \"dana\", \"role\": \"viewer\", \"password\": \"short\"}").statusCode())
                .isEqualTo(400);
        HttpResponse<byte[]> added = post(admin, "/api/v1/users",
                "{\"name\": \"dana\", \"role\": \"viewer\", \"password\": \"" + DeskFixture.PASSWORD + "\"}");
        assertThat(added.statusCode()).as(Http.text(added)).isEqualTo(201);
        assertThat(Http.json(added).get("enabled").asBoolean()).isTrue();
        String[] dana = session("dana");
        assertThat(http.get("/api/v1/hits", "Cookie", dana[0]).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> promoted = post(admin, "/api/v1/users/dana", "{\"role\": \"analyst\"}");
        assertThat(Http.json(promoted).get("role").asText()).isEqualTo("analyst");
        assertThat(http.get("/api/v1/hits", "Cookie", dana[0]).statusCode()).as("a role change ends the sessions").isEqualTo(401);
        dana = session("dana");

        assertThat(post(admin, "/api/v1/users/dana", "{\"enabled\": false}").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/hits", "Cookie", dana[0]).statusCode()).as("disabled: the session ended at once").isEqualTo(401);
        assertThat(login(http, "dana").statusCode()).as("disabled: the right password is refused").isEqualTo(401);
        assertThat(post(admin, "/api/v1/users/dana", "{\"enabled\": true}").statusCode()).isEqualTo(200);
        assertThat(login(http, "dana").statusCode()).isEqualTo(200);
        assertThat(post(admin, "/api/v1/users/nobody", "{\"enabled\": true}").statusCode()).isEqualTo(404);
        assertThat(post(admin, "/api/v1/users/dana", "{\"enabled\": \"no\"}").statusCode()).isEqualTo(400);
        // Each change is in the staff audit, in the admin's name; the refused ones are not.
        assertThat(fixture.casebook.newest(null, 100)).filteredOn(e -> e.subject().equals("user:dana") && e.act().startsWith("user-"))
                .extracting(e -> e.act() + " " + e.staff() + " " + e.detail())
                .containsExactly("user-role admin role analyst, enabled", "user-role admin role analyst, disabled",
                        "user-role admin role analyst, enabled", "user-add admin viewer");
    }

    @Test
    void theLastEnabledAdminCanBeNeitherDemotedNorDisabled() {
        String[] admin = session("admin");
        HttpResponse<byte[]> demote = post(admin, "/api/v1/users/admin", "{\"role\": \"approver\"}");
        assertThat(demote.statusCode()).isEqualTo(409);
        assertThat(Http.json(demote).get("error").asText()).contains("last enabled admin");
        assertThat(post(admin, "/api/v1/users/admin", "{\"enabled\": false}").statusCode()).isEqualTo(409);
        assertThat(fixture.staff.enabled("admin")).isPresent();

        assertThat(post(admin, "/api/v1/users/approver", "{\"role\": \"admin\"}").statusCode()).isEqualTo(200);
        assertThat(post(admin, "/api/v1/users/admin", "{\"enabled\": false}").statusCode()).as("another admin is left").isEqualTo(200);
        String[] second = session("approver");
        assertThat(post(second, "/api/v1/users/approver", "{\"role\": \"viewer\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void anAdminPurgesOneHitsRawMessageWithAReasonAndTheHitStays() {
        String[] approver = session("approver");
        assertThat(post(approver, "/api/v1/hits/" + fixture.first + "/purge", "{\"reason\": \"x\"}").statusCode()).isEqualTo(403);
        assertThat(Http.text(http.get("/hits/" + fixture.first, "Cookie", approver[0]))).doesNotContain("id=\"purge-form\"");
        String[] admin = session("admin");
        assertThat(Http.text(http.get("/hits/" + fixture.first, "Cookie", admin[0]))).contains("id=\"purge-form\"");
        assertThat(post(admin, "/api/v1/hits/" + fixture.first + "/purge", "{}").statusCode()).isEqualTo(400);
        HttpResponse<byte[]> purged = post(admin, "/api/v1/hits/" + fixture.first + "/purge", "{\"reason\": \"a third party's data\"}");
        assertThat(purged.statusCode()).as(Http.text(purged)).isEqualTo(200);
        assertThat(Http.json(purged).get("purged").asBoolean()).isTrue();
        assertThat(fixture.casebook.newest(null, 100)).filteredOn(e -> e.act().equals("purge")).singleElement()
                .satisfies(e -> assertThat(e.subject() + " " + e.staff() + " " + e.detail()).isEqualTo("hit:" + fixture.first + " admin a third party's data"));
        assertThat(http.get("/api/v1/hits/" + fixture.first + "/raw", "Cookie", admin[0]).statusCode()).isEqualTo(410);
        JsonNode hit = Http.json(http.get("/api/v1/hits/" + fixture.first, "Cookie", admin[0]));
        assertThat(hit.toString()).contains("alice");
        assertThat(Http.text(http.get("/hits/" + fixture.first, "Cookie", admin[0]))).contains("id=\"purged\"").doesNotContain("id=\"purge-form\"");
        assertThat(fixture.evidence.journal(1).get(0).detail()).contains("a third party's data");
        assertThat(post(admin, "/api/v1/hits/999999/purge", "{\"reason\": \"x\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void aTrustedProxysHeaderLogsInAnEnabledStaffMemberOnlyFromLoopbackAndIsRefusedFromElsewhere() throws Exception {
        DeskSettings proxied = new DeskSettings("127.0.0.1", 0, false, "X-Remote-User", List.of(IpAddress.parse("127.0.0.1")));
        try (WebDesk sso = WebDesk.start(proxied, () -> fixture.desk, () -> fixture.staff, Clock.systemUTC())) {
            Http h = new Http(sso.address());
            HttpResponse<byte[]> as = h.get("/api/v1/review", "X-Remote-User", "approver");
            assertThat(as.statusCode()).as(Http.text(as)).isEqualTo(200);
            String cookie = Gate.SESSION_COOKIE + "=" + Http.cookie(as, Gate.SESSION_COOKIE);
            assertThat(Http.text(h.get("/review", "X-Remote-User", "approver", "Cookie", cookie))).contains("approver (approver)");
            // The proxy adds the header to every request, a forged cross-site form's too: POSTs still want the session's CSRF token.
            assertThat(h.post("/api/v1/brake", JSON, "{\"on\": true, \"reason\": \"x\"}", "X-Remote-User", "approver", "Cookie", cookie)
                    .statusCode()).isEqualTo(403);
            assertThat(h.get("/api/v1/hits", "X-Remote-User", "mallory").statusCode()).isEqualTo(403);
            fixture.staff.setEnabled("viewer", false);
            assertThat(h.get("/api/v1/hits", "X-Remote-User", "viewer").statusCode()).isEqualTo(403);
            assertThat(h.get("/api/v1/hits").statusCode()).as("without the header: a login as ever").isEqualTo(401);
        }
        // The same header at a desk with the proxy on a loopback address this request does not come from.
        DeskSettings elsewhere = new DeskSettings("127.0.0.1", 0, false, "X-Remote-User", List.of(IpAddress.parse("::1")));
        try (WebDesk sso = WebDesk.start(elsewhere, () -> fixture.desk, () -> fixture.staff, Clock.systemUTC())) {
            Http h = new Http(sso.address());
            assertThat(h.get("/api/v1/hits", "X-Remote-User", "admin").statusCode()).isEqualTo(403);
            assertThat(h.get("/login", "X-Remote-User", "admin").statusCode()).as("open paths too").isEqualTo(403);
        }
        assertThat(http.get("/api/v1/hits", "X-Remote-User", "admin").statusCode()).as("off by default: the header means nothing")
                .isEqualTo(401);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new DeskSettings("127.0.0.1", 0, false, "X-Remote-User", List.of(IpAddress.parse("192.0.2.1"))))
                .hasMessageContaining("loopback");
    }

    @Test
    void relayedLoginsAreThrottledPerBrowserAddressAndOnlyWithTheRelayKey() {
        String key = web.relayKey();
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            HttpResponse<byte[]> r = http.post("/api/v1/login", JSON, "{\"name\": \"u" + i + "\", \"password\": \"wrong password!\"}",
                    ClientAddress.RELAY_KEY, key, ClientAddress.RELAYED_FOR, "192.0.2.10");
            assertThat(r.statusCode()).isEqualTo(401);
        }
        assertThat(login(http, "viewer", ClientAddress.RELAY_KEY, key, ClientAddress.RELAYED_FOR, "192.0.2.10").statusCode())
                .as("that browser's address is throttled").isEqualTo(429);
        assertThat(login(http, "viewer", ClientAddress.RELAY_KEY, key, ClientAddress.RELAYED_FOR, "192.0.2.11").statusCode())
                .as("another browser behind the same relay is not").isEqualTo(200);
        assertThat(login(http, "viewer").statusCode()).as("nor the relay's own loopback address").isEqualTo(200);
        assertThat(login(http, "viewer", ClientAddress.RELAY_KEY, "guessed", ClientAddress.RELAYED_FOR, "192.0.2.12").statusCode())
                .isEqualTo(403);
        assertThat(login(http, "viewer", ClientAddress.RELAY_KEY, key, ClientAddress.RELAYED_FOR, "not an address").statusCode())
                .isEqualTo(403);
    }
}
