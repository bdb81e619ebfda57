package org.trapline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.trapline.web.auth.Gate;
import org.trapline.web.auth.LoginThrottle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The web desk in-process over real HTTP: nothing is answered before a login (and a known id is answered
 * like an unknown one), roles are checked on every route, every POST wants its CSRF token, logins are
 * throttled, every answer carries the security headers, and the API answers in the desk's JSON.
 */
class WebDeskTest extends DeskOverHttp {


    @Test
    void withoutLoginEveryApiRouteAnswers401AndEveryPageRedirectsBeforeAnyLookup() {
        List<String> api = List.of("/api/v1/hits?q=x", "/api/v1/hits/" + fixture.first, "/api/v1/hits/999999",
                "/api/v1/hits/" + fixture.first + "/raw", "/api/v1/hits/999999/raw", "/api/v1/cases/alice", "/api/v1/cases/nobody",
                "/api/v1/actions", "/api/v1/review", "/api/v1/faulty-hits", "/api/v1/no-such-route");
        String first = null;
        for (String path : api) {
            HttpResponse<byte[]> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            if (first == null) {
                first = Http.text(r);
            }
            assertThat(Http.text(r)).as(path).isEqualTo(first);
            assertSecurityHeaders(r);
        }
        assertThat(http.post("/api/v1/decisions", "application/json", "{}").statusCode()).isEqualTo(401);
        for (String path : List.of("/search", "/hits/" + fixture.first, "/hits/999999", "/hits/" + fixture.hostile + "/html",
                "/cases/alice", "/review", "/no-such-page", "/")) {
            HttpResponse<byte[]> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(path).hasValue("/login");
            assertThat(Http.text(r)).as(path).doesNotContain("alice").doesNotContain("pills");
            assertSecurityHeaders(r);
        }
    }

    @Test
    void aForgedOrExpiredSessionCookieIsNoLogin() {
        assertThat(http.get("/api/v1/hits", "Cookie", Gate.SESSION_COOKIE + "=forged").statusCode()).isEqualTo(401);
        String[] s = login("viewer");
        assertThat(http.get("/api/v1/hits", "Cookie", s[0]).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> out = http.post("/logout", "application/x-www-form-urlencoded", "csrf=" + s[1], "Cookie", s[0]);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(http.get("/api/v1/hits", "Cookie", s[0]).statusCode()).isEqualTo(401);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrictAndSecureOnlyBehindTls() {
        HttpResponse<byte[]> r = http.post("/api/v1/login", "application/json",
                "{\"name\": \"viewer\", \"password\": \"" + DeskFixture.PASSWORD + "\"}");
        String cookie = Http.setCookie(r, Gate.SESSION_COOKIE);
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/").doesNotContain("Secure");
        assertThat(Http.cookie(r, Gate.SESSION_COOKIE)).hasSizeGreaterThanOrEqualTo(43);

        try (WebDesk tls = WebDesk.start(new DeskSettings("127.0.0.1", 0, true), () -> fixture.desk, () -> fixture.staff, Clock.systemUTC())) {
            HttpResponse<byte[]> behind = new Http(tls.address()).post("/api/v1/login", "application/json",
                    "{\"name\": \"viewer\", \"password\": \"" + DeskFixture.PASSWORD + "\"}");
            assertThat(Http.setCookie(behind, Gate.SESSION_COOKIE)).contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
        }
    }

    @Test
    void failedLoginsAreThrottledUntilEvenTheRightPasswordIsRefused() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            HttpResponse<byte[]> r = http.post("/api/v1/login", "application/json", "{\"name\": \"admin\", \"password\": \"wrong password!\"}");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(Http.json(r).get("error").asText()).isEqualTo("wrong name or password");
        }
        HttpResponse<byte[]> r = http.post("/api/v1/login", "application/json",
                "{\"name\": \"admin\", \"password\": \"" + DeskFixture.PASSWORD + "\"}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(Http.setCookie(r, Gate.SESSION_COOKIE)).isNull();
    }

    @Test
    void anUnknownNameIsRefusedLikeAWrongPassword() {
        HttpResponse<byte[]> r = http.post("/api/v1/login", "application/json", "{\"name\": \"mallory\", \"password\": \"whatever it is\"}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Http.json(r).get("error").asText()).isEqualTo("wrong name or password");
    }

    @Test
    void theJsonLoginWantsJsonSoThatNoFormOfAnotherSiteCanPostIt() {
        HttpResponse<byte[]> r = http.post("/api/v1/login", "application/x-www-form-urlencoded",
                "name=viewer&password=" + DeskFixture.PASSWORD.replace(' ', '+'));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(Http.setCookie(r, Gate.SESSION_COOKIE)).isNull();
    }

    @Test
    void everyPostWantsTheSessionsCsrfToken() {
        String[] s = login("approver");
        long action = pendingAction(s);
        String body = "{\"action\": " + action + ", \"decision\": \"dismiss\", \"reason\": \"customer cleaned up\"}";
        HttpResponse<byte[]> none = http.post("/api/v1/decisions", "application/json", body, "Cookie", s[0]);
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(Http.json(none).get("error").asText()).contains("CSRF");
        String[] other = login("admin");
        assertThat(http.post("/api/v1/decisions", "application/json", body, "Cookie", s[0], Gate.CSRF_HEADER, other[1]).statusCode())
                .isEqualTo(403);
        HttpResponse<byte[]> form = http.post("/review/" + action, "application/x-www-form-urlencoded",
                "decision=dismiss&reason=x", "Cookie", s[0]);
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(fixture.desk.action(action).orElseThrow().action().state().name()).isEqualTo("PENDING_REVIEW");

        HttpResponse<byte[]> done = http.post("/api/v1/decisions", "application/json", body, "Cookie", s[0], Gate.CSRF_HEADER, s[1]);
        assertThat(done.statusCode()).as(Http.text(done)).isEqualTo(200);
        assertThat(Http.json(done).get("state").asText()).isEqualTo("DISMISSED");
        assertThat(Http.json(done).get("decided_by").asText()).isEqualTo("staff:approver");
        HttpResponse<byte[]> again = http.post("/api/v1/decisions", "application/json", body, "Cookie", s[0], Gate.CSRF_HEADER, s[1]);
        assertThat(again.statusCode()).isEqualTo(409);
    }

    @Test
    void theReviewPageDecidesThroughItsFormWithTheToken() {
        String[] s = login("approver");
        long action = pendingAction(s);
        HttpResponse<byte[]> page = http.get("/review", "Cookie", s[0]);
        assertThat(Http.text(page)).contains("action-" + action).contains("name=\"csrf\" value=\"" + s[1] + "\"");
        HttpResponse<byte[]> r = http.post("/review/" + action, "application/x-www-form-urlencoded",
                "csrf=" + s[1] + "&decision=confirm&reason=fifteen+hits+this+week", "Cookie", s[0]);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(fixture.desk.action(action).orElseThrow().action().decidedBy()).isEqualTo("staff:approver");
        assertThat(fixture.desk.action(action).orElseThrow().action().state().name()).isNotEqualTo("PENDING_REVIEW");
    }

    @Test
    void rolesAreCheckedOnEveryRoute() {
        String[] viewer = login("viewer");
        long action = pendingAction(viewer);
        assertThat(http.get("/api/v1/hits/" + fixture.first, "Cookie", viewer[0]).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/hits/" + fixture.first + "/raw", "Cookie", viewer[0]).statusCode()).isEqualTo(403);
        String decision = "{\"action\": " + action + ", \"decision\": \"confirm\", \"reason\": \"r\"}";
        assertThat(http.post("/api/v1/decisions", "application/json", decision, "Cookie", viewer[0], Gate.CSRF_HEADER, viewer[1])
                .statusCode()).isEqualTo(403);
        assertThat(Http.text(http.get("/review", "Cookie", viewer[0]))).doesNotContain("value=\"confirm\"");

        String[] analyst = login("analyst");
        HttpResponse<byte[]> raw = http.get("/api/v1/hits/" + fixture.first + "/raw", "Cookie", analyst[0]);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(org.trapline.evidence.TwoHitsOfAlice.FIRST);
        assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(raw.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"hit-" + fixture.first + ".eml\"");
        assertThat(http.post("/api/v1/decisions", "application/json", decision, "Cookie", analyst[0], Gate.CSRF_HEADER, analyst[1])
                .statusCode()).isEqualTo(403);
        assertThat(fixture.desk.action(action).orElseThrow().action().state().name()).isEqualTo("PENDING_REVIEW");
    }

    @Test
    void searchSpeaksTheQueryLanguageWithItsErrorsAndPagesByCursor() {
        String[] s = login("viewer");
        HttpResponse<byte[]> all = http.get("/api/v1/hits?q=subscriber:alice&limit=1", "Cookie", s[0]);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode page1 = Http.json(all);
        assertThat(page1.get("total").asLong()).isEqualTo(2);
        assertThat(page1.get("hits").get(0).get("id").asLong()).isEqualTo(fixture.second);
        String next = page1.get("next").asText();
        JsonNode page2 = Http.json(http.get("/api/v1/hits?q=subscriber:alice&limit=1&after=" + next, "Cookie", s[0]));
        assertThat(page2.get("hits").get(0).get("id").asLong()).isEqualTo(fixture.first);
        assertThat(page2.get("next").isNull()).isTrue();

        HttpResponse<byte[]> bad = http.get("/api/v1/hits?q=sbscriber:alice", "Cookie", s[0]);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).get("error").asText()).startsWith("bad query:").contains("subscriber").doesNotContain("\n");
        HttpResponse<byte[]> badPage = http.get("/search?q=sbscriber:alice", "Cookie", s[0]);
        assertThat(badPage.statusCode()).isEqualTo(400);
        assertThat(Http.text(badPage)).contains("bad query:").doesNotContain("Exception");
        assertThat(http.get("/api/v1/hits?limit=100000", "Cookie", s[0]).statusCode()).isEqualTo(400);
    }

    @Test
    void searchFacetsAreLinksThatAddTheirFilterAndHitsShowASnippet() {
        String[] s = login("viewer");
        String page = Http.text(http.get("/search?q=", "Cookie", s[0]));
        for (String facet : List.of("subscriber", "net", "domain", "trapdomain", "status", "day")) {
            assertThat(page).as(facet).contains("id=\"facet-" + facet + "\"");
        }
        assertThat(page).contains("href=\"/search?q=subscriber%3Aalice\"").contains("href=\"/search?q=status%3Amatched\"")
                .contains("class=\"snippet\"");
        String narrowed = Http.text(http.get("/search?q=pills+OR+cheap", "Cookie", s[0]));
        assertThat(narrowed).as("an OR stays inside parentheses when a filter is added")
                .contains("href=\"/search?q=%28pills+OR+cheap%29+subscriber%3A");
        JsonNode bob = Http.json(http.get("/api/v1/hits?q=subscriber%3Abob&facets=10", "Cookie", s[0]));
        assertThat(bob.get("total").asLong()).isEqualTo(1);
        assertThat(bob.get("facets").get("subscribers").get(0).get("count").asLong()).isEqualTo(1);
        for (String key : List.of("origin_nets", "trap_domains", "statuses", "days")) {
            assertThat(bob.get("facets").has(key)).as(key).isTrue();
        }
        assertThat(bob.get("facets").get("trap_domains").get(0).get("value").asText()).isEqualTo("trap.example.net");
    }

    @Test
    void theLiveCountCountsHitsNewerThanThePageAndItsScriptIsTheDesksOwn() {
        String[] s = login("viewer");
        String page = Http.text(http.get("/search?q=subscriber%3Aalice", "Cookie", s[0]));
        assertThat(page).contains("data-count=\"/api/v1/hits/count?q=subscriber%3Aalice&amp;since_id=" + fixture.second + "\"")
                .contains("<script src=\"/static/live-count.js\" defer></script>");
        String count = "/api/v1/hits/count?q=subscriber%3Aalice&since_id=" + fixture.second;
        assertThat(Http.json(http.get(count, "Cookie", s[0])).get("count").asLong()).isZero();
        fixture.evidence.record(org.trapline.evidence.TrapHit.of("live-1", java.time.Instant.now(), "x@spam.example",
                List.of("d@trap.example.net")).withAttribution("MATCHED", "alice", "S-2", "10.0.0.1"),
                "Subject: again\r\n\r\nmore pills\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        fixture.evidence.refreshIndex();
        assertThat(Http.json(http.get(count, "Cookie", s[0])).get("count").asLong()).isEqualTo(1);
        assertThat(Http.json(http.get("/api/v1/hits/count?q=subscriber%3Abob&since_id=" + fixture.hostile, "Cookie", s[0]))
                .get("count").asLong()).as("only matching hits").isZero();
        assertThat(http.get("/api/v1/hits/count?q=day%3Anever", "Cookie", s[0]).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v1/hits/count?since_id=x", "Cookie", s[0]).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v1/hits/count").statusCode()).isEqualTo(401);
        String older = Http.text(http.get("/search?q=&after=" + java.net.URLEncoder.encode(
                Http.json(http.get("/api/v1/hits?limit=1", "Cookie", s[0])).get("next").asText(), java.nio.charset.StandardCharsets.UTF_8),
                "Cookie", s[0]));
        assertThat(older).as("older pages have no live count").doesNotContain("id=\"live\"");

        HttpResponse<byte[]> script = http.get("/static/live-count.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(Http.text(script)).contains("data-count").doesNotContain("innerHTML")
                .doesNotContain("http");
        assertThat(http.get("/search", "Cookie", s[0]).headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'").doesNotContain("unsafe-inline");
    }

    @Test
    void theApiAnswersInTheDesksJsonForms() {
        String[] s = login("viewer");
        JsonNode hit = Http.json(http.get("/api/v1/hits/" + fixture.first, "Cookie", s[0]));
        assertThat(hit.toString()).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(
                fixture.desk.hit(fixture.first).orElseThrow().json()).toString());
        assertThat(http.get("/api/v1/hits/999999", "Cookie", s[0]).statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/hits/x", "Cookie", s[0]).statusCode()).isEqualTo(400);
        JsonNode kase = Http.json(http.get("/api/v1/cases/alice", "Cookie", s[0]));
        assertThat(kase.get("subscriber").asText()).isEqualTo("alice");
        assertThat(kase.get("hits").asLong()).isEqualTo(2);
        assertThat(http.get("/api/v1/cases/nobody", "Cookie", s[0]).statusCode()).isEqualTo(404);
        JsonNode actions = Http.json(http.get("/api/v1/actions?pending=true", "Cookie", s[0]));
        assertThat(actions.get("actions")).isNotEmpty();
        assertThat(actions.get("actions").get(0).get("state").asText()).isEqualTo("PENDING_REVIEW");
        JsonNode review = Http.json(http.get("/api/v1/review", "Cookie", s[0]));
        assertThat(review.get("items").get(0).get("evidence").get("hits").asInt()).isEqualTo(2);
        JsonNode faulty = Http.json(http.get("/api/v1/faulty-hits", "Cookie", s[0]));
        assertThat(faulty.get("hits").get(0).get("hit_id").asText()).isEqualTo(Long.toString(fixture.hostile));
        assertThat(faulty.get("hits").get(0).get("attribution").asText()).isEqualTo("NO_ORIGIN");
        assertThat(Http.text(http.get("/review", "Cookie", s[0]))).contains("id=\"faulty\"").contains("/hits/" + fixture.hostile);
    }

    @Test
    void thePagesEscapeHostileTextAndMarkTheOriginHop() {
        String[] s = login("analyst");
        String search = Http.text(http.get("/search?q=pills", "Cookie", s[0]));
        assertThat(search).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        String hit = Http.text(http.get("/hits/" + fixture.first, "Cookie", s[0]));
        assertThat(hit).contains("id=\"origin-hop\"").contains("198.51.100.7").contains("/api/v1/hits/" + fixture.first + "/raw");
        String hostile = Http.text(http.get("/hits/" + fixture.hostile, "Cookie", s[0]));
        assertThat(hostile).doesNotContain("<script>").contains("<iframe id=\"html-view\" sandbox=\"\"");
        String viewer = Http.text(http.get("/hits/" + fixture.first, "Cookie", login("viewer")[0]));
        assertThat(viewer).doesNotContain("/raw\"");
    }

    @Test
    void theSpamHtmlRouteLoadsNothingAndRunsNothing() {
        String[] s = login("viewer");
        HttpResponse<byte[]> r = http.get("/hits/" + fixture.hostile + "/html", "Cookie", s[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(csp).startsWith("default-src 'none'").contains("sandbox").doesNotContain("script-src");
        String html = Http.text(r).toLowerCase(java.util.Locale.ROOT);
        assertThat(html).contains("cheap").doesNotContain("<script").doesNotContain("onerror").doesNotContain("onload")
                .doesNotContain("evil.example").doesNotContain("javascript:").doesNotContain("<base").doesNotContain("<meta http-equiv")
                .doesNotContain("<form").doesNotContain("<iframe").doesNotContain("url(");
        assertThat(html).contains("[image: pixel]").contains("click");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        String[] s = login("viewer");
        for (HttpResponse<byte[]> r : List.of(http.get("/login"), http.get("/static/desk.css"), http.get("/search", "Cookie", s[0]),
                http.get("/api/v1/hits", "Cookie", s[0]), http.get("/nothing-here", "Cookie", s[0]),
                http.get("/api/v1/hits/999999", "Cookie", s[0]))) {
            assertSecurityHeaders(r);
        }
        assertThat(http.get("/nothing-here", "Cookie", s[0]).statusCode()).isEqualTo(404);
    }

    @Test
    void theLoginFormLogsInWithItsOwnCsrfToken() {
        HttpResponse<byte[]> form = http.get("/login");
        String token = Http.cookie(form, "trapline_login");
        assertThat(Http.text(form)).contains("value=\"" + token + "\"");
        String fields = "name=viewer&password=" + DeskFixture.PASSWORD.replace(' ', '+');
        assertThat(http.post("/login", "application/x-www-form-urlencoded", fields + "&csrf=" + token).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> in = http.post("/login", "application/x-www-form-urlencoded", fields + "&csrf=" + token,
                "Cookie", "trapline_login=" + token);
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("Location")).hasValue("/search");
        String session = Http.cookie(in, Gate.SESSION_COOKIE);
        assertThat(session).isNotBlank();
        assertThat(http.get("/search", "Cookie", Gate.SESSION_COOKIE + "=" + session).statusCode()).isEqualTo(200);
    }

    @Test
    void deskBindIsLoopbackByDefaultAndOffWhenAsked() {
        DeskSettings d = DeskSettings.from(new Properties()).orElseThrow();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(8025);
        Properties off = new Properties();
        off.setProperty("desk.bind", "off");
        assertThat(DeskSettings.from(off)).isEmpty();
        Properties bad = new Properties();
        bad.setProperty("desk.bind", "8025");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeskSettings.from(bad)).hasMessageContaining("desk.bind");
    }

    long pendingAction(String[] session) {
        JsonNode actions = Http.json(http.get("/api/v1/actions?pending=true", "Cookie", session[0]));
        return actions.get("actions").get(0).get("id").asLong();
    }

    static void assertSecurityHeaders(HttpResponse<byte[]> r) {
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(csp).as(r.uri().toString()).containsAnyOf("default-src 'self'", "default-src 'none'").contains("frame-ancestors");
        if (!r.uri().getPath().endsWith("/html")) {
            assertThat(csp).contains("frame-ancestors 'none'");
        }
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).as(r.uri().toString()).hasValue("no-referrer");
    }

    @Test
    void theCasebookAndAuditRoutesWantALoginTheRoleAndTheToken() {
        for (String path : List.of("/api/v1/audit", "/api/v1/audit/export", "/api/v1/audit?since=2026-01-01T00:00:00Z")) {
            assertThat(http.get(path).statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/api/v1/cases/alice/notes", "/api/v1/cases/nobody/notes", "/api/v1/cases/alice/status")) {
            assertThat(http.post(path, "application/json", "{\"text\": \"x\"}").statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<byte[]> page = http.get("/audit");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");

        String note = "{\"text\": \"called her\"}";
        String status = "{\"status\": \"resolved\", \"reason\": \"machine cleaned\"}";
        String[] viewer = login("viewer");
        assertThat(http.post("/api/v1/cases/alice/notes", "application/json", note, "Cookie", viewer[0], Gate.CSRF_HEADER, viewer[1])
                .statusCode()).isEqualTo(403);
        assertThat(http.post("/api/v1/cases/alice/status", "application/json", status, "Cookie", viewer[0], Gate.CSRF_HEADER, viewer[1])
                .statusCode()).isEqualTo(403);
        String[] analyst = login("analyst");
        assertThat(http.post("/api/v1/cases/alice/notes", "application/json", note, "Cookie", analyst[0]).statusCode()).isEqualTo(403);
        assertThat(http.post("/api/v1/cases/alice/status", "application/json", status, "Cookie", analyst[0]).statusCode()).isEqualTo(403);
        assertThat(http.post("/cases/alice/notes", "application/x-www-form-urlencoded", "text=x", "Cookie", analyst[0]).statusCode())
                .isEqualTo(403);
        assertThat(fixture.desk.caseOf("alice").orElseThrow().notes()).isEmpty();
        for (String who : List.of("viewer", "analyst")) {
            String[] s = who.equals("viewer") ? viewer : analyst;
            assertThat(http.get("/api/v1/audit", "Cookie", s[0]).statusCode()).as(who).isEqualTo(403);
            assertThat(http.get("/api/v1/audit/export", "Cookie", s[0]).statusCode()).as(who).isEqualTo(403);
            assertThat(http.get("/audit", "Cookie", s[0]).statusCode()).as(who).isEqualTo(403);
            assertThat(Http.text(http.get("/search", "Cookie", s[0]))).as(who).doesNotContain("href=\"/audit\"");
        }
        for (String who : List.of("approver", "admin")) {
            String[] s = login(who);
            assertThat(http.get("/api/v1/audit", "Cookie", s[0]).statusCode()).as(who).isEqualTo(200);
            assertThat(http.get("/audit", "Cookie", s[0]).statusCode()).as(who).isEqualTo(200);
            assertThat(Http.text(http.get("/search", "Cookie", s[0]))).as(who).contains("href=\"/audit\"");
        }
    }

    @Test
    void analystsKeepNotesAndTheStatusOnACaseAndHostileNotesAreEscaped() {
        String[] s = login("analyst");
        HttpResponse<byte[]> added = http.post("/api/v1/cases/alice/notes", "application/json",
                "{\"text\": \"<script>alert('note')</script> called her\"}", "Cookie", s[0], Gate.CSRF_HEADER, s[1]);
        assertThat(added.statusCode()).as(Http.text(added)).isEqualTo(200);
        assertThat(Http.json(added).get("staff").asText()).isEqualTo("analyst");
        HttpResponse<byte[]> form = http.post("/cases/alice/notes", "application/x-www-form-urlencoded",
                "csrf=" + s[1] + "&text=sent+a+letter", "Cookie", s[0]);
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(form.headers().firstValue("Location")).hasValue("/cases/alice#notes");
        HttpResponse<byte[]> set = http.post("/api/v1/cases/alice/status", "application/json",
                "{\"status\": \"waiting-for-customer\", \"reason\": \"letter sent\"}", "Cookie", s[0], Gate.CSRF_HEADER, s[1]);
        assertThat(set.statusCode()).as(Http.text(set)).isEqualTo(200);
        assertThat(http.post("/api/v1/cases/alice/status", "application/json", "{\"status\": \"closed\"}", "Cookie", s[0],
                Gate.CSRF_HEADER, s[1]).statusCode()).isEqualTo(400);
        assertThat(http.post("/api/v1/cases/nobody/notes", "application/json", "{\"text\": \"x\"}", "Cookie", s[0],
                Gate.CSRF_HEADER, s[1]).statusCode()).isEqualTo(404);
        assertThat(http.post("/api/v1/cases/alice/notes", "application/json", "{\"text\": \" \"}", "Cookie", s[0],
                Gate.CSRF_HEADER, s[1]).statusCode()).isEqualTo(400);
        assertThat(http.post("/api/v1/cases/alice/notes", "application/json", "not json", "Cookie", s[0],
                Gate.CSRF_HEADER, s[1]).statusCode()).isEqualTo(400);

        JsonNode kase = Http.json(http.get("/api/v1/cases/alice", "Cookie", s[0]));
        assertThat(kase.get("notes")).extracting(n -> n.get("text").asText())
                .containsExactly("sent a letter", "<script>alert('note')</script> called her");
        assertThat(kase.get("status").get("status").asText()).isEqualTo("waiting-for-customer");
        assertThat(kase.get("status").get("by").asText()).isEqualTo("analyst");
        assertThat(kase.get("status").get("reason").asText()).isEqualTo("letter sent");

        String html = Http.text(http.get("/cases/alice", "Cookie", s[0]));
        assertThat(html).contains("id=\"notes\"", "&lt;script&gt;alert(", "sent a letter", "waiting-for-customer", "letter sent",
                "action=\"/cases/alice/notes\"", "action=\"/cases/alice/status\"", "name=\"csrf\" value=\"" + s[1] + "\"")
                .doesNotContain("<script>alert('note')");
        String[] viewer = login("viewer");
        assertThat(Http.text(http.get("/cases/alice", "Cookie", viewer[0]))).contains("sent a letter")
                .doesNotContain("action=\"/cases/alice/notes\"");
    }

    @Test
    void theAuditKeepsWhoDidWhatFromWhereAndItsExportVerifiesOffline() throws Exception {
        assertThat(http.post("/api/v1/login", "application/json",
                "{\"name\": \"approver\", \"password\": \"wrong\"}").statusCode()).isEqualTo(401);
        String[] analyst = login("analyst");
        assertThat(http.get("/api/v1/hits/" + fixture.first + "/raw", "Cookie", analyst[0]).statusCode()).isEqualTo(200);
        String[] s = login("approver");
        long action = pendingAction(s);
        http.post("/api/v1/decisions", "application/json",
                "{\"action\": " + action + ", \"decision\": \"confirm\", \"reason\": \"fifteen hits this week\"}",
                "Cookie", s[0], Gate.CSRF_HEADER, s[1]);
        assertThat(fixture.desk.action(action).orElseThrow().action().reason()).isEqualTo("fifteen hits this week");
        assertThat(http.post("/logout", "application/x-www-form-urlencoded", "csrf=" + analyst[1], "Cookie", analyst[0]).statusCode())
                .isEqualTo(303);

        JsonNode audit = Http.json(http.get("/api/v1/audit?limit=10", "Cookie", s[0]));
        List<String> acts = new java.util.ArrayList<>();
        audit.get("entries").forEach(e -> acts.add(e.get("act").asText() + " " + e.get("staff").asText() + " " + e.get("subject").asText()));
        assertThat(acts).containsExactly("logout analyst user:analyst", "confirm approver action:" + action, "login approver user:approver",
                "raw-view analyst hit:" + fixture.first, "login analyst user:analyst", "login-failed approver user:approver");
        JsonNode confirm = audit.get("entries").get(1);
        assertThat(confirm.get("from").asText()).isEqualTo("127.0.0.1");
        assertThat(confirm.get("detail").asText()).isEqualTo("fifteen hits this week");
        assertThat(Http.json(http.get("/api/v1/audit?since=2999-01-01T00:00:00Z", "Cookie", s[0])).get("entries")).isEmpty();
        assertThat(http.get("/api/v1/audit?since=yesterday", "Cookie", s[0]).statusCode()).isEqualTo(400);

        HttpResponse<byte[]> export = http.get("/api/v1/audit/export", "Cookie", s[0]);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        String prev = org.trapline.desk.casebook.AuditChain.GENESIS;
        List<String> lines = Http.text(export).lines().toList();
        assertThat(lines).hasSize(6);
        for (String line : lines) {
            JsonNode e = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(e.get("prev_hash").asText()).isEqualTo(prev);
            String hash = org.trapline.desk.casebook.AuditChain.hash(prev, e.get("seq").asLong(), e.get("at_ms").asLong(),
                    e.get("staff").asText(), e.get("from").asText(), e.get("act").asText(), e.get("subject").asText(), e.get("detail").asText());
            assertThat(e.get("hash").asText()).isEqualTo(hash);
            prev = hash;
        }
        String page = Http.text(http.get("/audit?verify=1", "Cookie", s[0]));
        assertThat(page).contains("chain intact, 6 entries", "fifteen hits this week", "raw-view");
    }
}
