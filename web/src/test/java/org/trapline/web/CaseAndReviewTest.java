package org.trapline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.trapline.web.auth.Gate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The case page (its chart, sessions, strikes, actions and export) and the review page's staff acts
 * (manual block and unblock, the brake) over HTTP, with the roles and CSRF tokens they need.
 */
class CaseAndReviewTest extends DeskOverHttp {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON = "application/json";


    HttpResponse<byte[]> postJson(String[] s, String path, String body) {
        return http.post(path, JSON, body, "Cookie", s[0], Gate.CSRF_HEADER, s[1]);
    }

    static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void withoutLoginTheNewRoutesAnswerBeforeAnyLookup() {
        for (String path : List.of("/api/v1/brake", "/api/v1/unattributed-hits")) {
            assertThat(http.get(path).statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/api/v1/blocks", "/api/v1/unblocks", "/api/v1/brake")) {
            assertThat(http.post(path, JSON, "{}").statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<byte[]> export = http.get("/cases/alice/export");
        assertThat(export.statusCode()).isEqualTo(303);
        assertThat(Http.text(export)).doesNotContain("From ");
    }

    @Test
    void theCasePageDrawsHitsPerDayAndShowsSessionsStrikesAndActions() {
        String[] viewer = login("viewer");
        String page = Http.text(http.get("/cases/alice", "Cookie", viewer[0]));
        assertThat(page).contains("<svg id=\"hits-chart\"", "2026-11-20", "2026-11-21", "198.51.100.7", "id=\"strikes\"", "strike 1 of ");
        // Alice's two hits fell on two days: two bars, no element per hit.
        assertThat(count(page, "<rect class=\"bar\"")).isEqualTo(2);
        assertThat(page).as("no script on the page").doesNotContain("<script");
        assertThat(page).as("viewers do not export").doesNotContain("id=\"export\"");
        assertThat(http.get("/cases/alice/export", "Cookie", viewer[0]).statusCode()).isEqualTo(403);

        JsonNode kase = Http.json(http.get("/api/v1/cases/alice", "Cookie", viewer[0]));
        assertThat(kase.get("sessions").get(0).has("address")).isTrue();
        assertThat(kase.get("strikes").get(0).get("actions").get(0).get("type").asText()).isEqualTo("FENCE");
    }

    @Test
    void anAnalystExportsTheCaseAsAnMboxAttachment() {
        String[] analyst = login("analyst");
        assertThat(Http.text(http.get("/cases/alice", "Cookie", analyst[0]))).contains("id=\"export\"", "/cases/alice/export");
        HttpResponse<byte[]> r = http.get("/cases/alice/export", "Cookie", analyst[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"case-alice.mbox\"");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/mbox");
        String mbox = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(mbox).startsWith("From ");
        assertThat(count(mbox, "\nFrom ") + 1).isEqualTo(2);
        assertThat(http.get("/cases/nobody/export", "Cookie", analyst[0]).statusCode()).isEqualTo(404);
    }

    @Test
    void approversBlockAndUnblockByHandThroughTheApiWithAReasonAndTheirToken() {
        String[] analyst = login("analyst");
        assertThat(postJson(analyst, "/api/v1/blocks", "{\"subscriber\": \"bob\", \"reason\": \"x\"}").statusCode()).isEqualTo(403);
        String[] approver = login("approver");
        assertThat(http.post("/api/v1/blocks", JSON, "{\"subscriber\": \"bob\", \"reason\": \"x\"}", "Cookie", approver[0]).statusCode())
                .as("no CSRF token").isEqualTo(403);
        assertThat(postJson(approver, "/api/v1/blocks", "{\"subscriber\": \"bob\", \"reason\": \" \"}").statusCode()).isEqualTo(400);
        assertThat(postJson(approver, "/api/v1/blocks", "{\"subscriber\": \"bob\"}").statusCode()).isEqualTo(400);
        assertThat(postJson(approver, "/api/v1/blocks", "{\"subscriber\": \"bob\", \"reason\": \"x\", \"for\": \"soon\"}").statusCode())
                .isEqualTo(400);

        HttpResponse<byte[]> blocked = postJson(approver, "/api/v1/blocks",
                "{\"subscriber\": \"bob\", \"reason\": \"peer complaint\", \"for\": \"PT2H\"}");
        assertThat(blocked.statusCode()).as(Http.text(blocked)).isEqualTo(200);
        JsonNode b = Http.json(blocked);
        assertThat(b.get("standing").get("blocked").asBoolean()).isTrue();
        assertThat(b.get("standing").get("blocked_until").asText()).isEqualTo(DeskFixture.T0.plusSeconds(7200).toString());

        assertThat(postJson(approver, "/api/v1/unblocks", "{\"subscriber\": \"bob\"}").statusCode()).isEqualTo(400);
        HttpResponse<byte[]> lifted = postJson(approver, "/api/v1/unblocks", "{\"subscriber\": \"bob\", \"reason\": \"settled\"}");
        assertThat(lifted.statusCode()).isEqualTo(200);
        assertThat(Http.json(lifted).get("subscriber").asText()).isEqualTo("bob");
        assertThat(postJson(approver, "/api/v1/unblocks", "{\"subscriber\": \"nobody\", \"reason\": \"x\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void theBrakeIsShownAndSwitchedWithAReason() {
        String[] viewer = login("viewer");
        assertThat(Http.json(http.get("/api/v1/brake", "Cookie", viewer[0])).get("switch").isNull()).isTrue();
        assertThat(Http.text(http.get("/review", "Cookie", viewer[0]))).contains("id=\"brake-state\">Off").doesNotContain("id=\"brake-form\"")
                .doesNotContain("id=\"block-form\"");
        assertThat(postJson(viewer, "/api/v1/brake", "{\"on\": true, \"reason\": \"x\"}").statusCode()).isEqualTo(403);

        String[] approver = login("approver");
        assertThat(postJson(approver, "/api/v1/brake", "{\"on\": \"yes\", \"reason\": \"x\"}").statusCode()).isEqualTo(400);
        assertThat(postJson(approver, "/api/v1/brake", "{\"on\": true}").statusCode()).isEqualTo(400);
        HttpResponse<byte[]> on = postJson(approver, "/api/v1/brake", "{\"on\": true, \"reason\": \"forged flood\"}");
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(Http.json(on).get("type").asText()).isEqualTo("BRAKE");
        assertThat(postJson(approver, "/api/v1/brake", "{\"on\": true, \"reason\": \"again\"}").statusCode()).isEqualTo(409);
        JsonNode brake = Http.json(http.get("/api/v1/brake", "Cookie", viewer[0]));
        assertThat(brake.get("switch").get("reason").asText()).isEqualTo("forged flood");
        assertThat(Http.text(http.get("/review", "Cookie", approver[0]))).contains("forged flood", "Release the brake");

        HttpResponse<byte[]> off = http.post("/brake", FORM, "csrf=" + approver[1] + "&switch=off&reason=over", "Cookie", approver[0]);
        assertThat(off.statusCode()).isEqualTo(303);
        assertThat(Http.json(http.get("/api/v1/brake", "Cookie", viewer[0])).get("switch").isNull()).isTrue();
    }

    @Test
    void theReviewPageBlocksThroughItsFormAndListsTheEvidenceAndTheHitsThatNamedNobody() {
        fixture.enforcer.onHit(org.trapline.enforcement.StrikeHit.unattributed("4242", DeskFixture.T0, "203.0.113.5",
                org.trapline.enforcement.HitAttribution.AMBIGUOUS));
        String[] approver = login("approver");
        String page = Http.text(http.get("/review", "Cookie", approver[0]));
        assertThat(page).contains("2 hits this week", "id=\"block-form\"", "id=\"unattributed\"", "/hits/4242", "AMBIGUOUS");
        assertThat(http.post("/blocks", FORM, "subscriber=bob&reason=spam+run", "Cookie", approver[0]).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> r = http.post("/blocks", FORM, "csrf=" + approver[1] + "&subscriber=bob&reason=spam+run&for=", "Cookie",
                approver[0]);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(fixture.enforcer.status("bob").orElseThrow().blockedAt(DeskFixture.T0)).isTrue();
        JsonNode nobody = Http.json(http.get("/api/v1/unattributed-hits", "Cookie", approver[0]));
        assertThat(nobody.get("hits")).extracting(h -> h.get("attribution").asText()).contains("AMBIGUOUS", "NO_ORIGIN");
    }
}
