package org.trapline.desk.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.enforcement.ActionMode;
import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.ActionState;
import org.trapline.enforcement.ActionType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The views' JSON: one line, every key, hostile text escaped and parsed back unchanged. */
class JsonTest {
    static final String HOSTILE = "eve\u001b[2J\u009b\u007f\u202egpj.exe\u2028\u2066 Müller";

    static ActionRecord action(String subscriber) {
        return new ActionRecord(7, ActionType.FENCE, subscriber, "127.0.0.1/s1", "Filter-Id=smtp-block", ActionMode.REVIEW,
                ActionState.PENDING_REVIEW, "4 hits in 1h", List.of("1", "2"), "rule", Instant.parse("2026-03-03T03:00:00Z"),
                null, null, null, null, null, null, null, null, "line one\nline two", null, null, null, null);
    }

    @Test
    void hostileTextIsEscapedAndReadsBackAsItWas() throws Exception {
        String line = Json.write(new ActionView(action(HOSTILE)));
        assertThat(line).doesNotContain("\n", "\u001b", "\u009b", "\u007f", "\u202e", "\u2028", "\u2066")
                .contains("\\u001B", "\\u009B", "\\u007F", "\\u202E", "\\u2028", "\\u2066", "Müller", "line one\\nline two");
        JsonNode j = new ObjectMapper().readTree(line);
        assertThat(j.get("subscriber").asText()).isEqualTo(HOSTILE);
    }

    @Test
    void anActionHasEveryKeyOfTheJournalNullsIncluded() throws Exception {
        JsonNode j = new ObjectMapper().readTree(Json.write(new ActionView(action("alice"))));
        assertThat(j.fieldNames()).toIterable().containsExactly("id", "created_at", "type", "state", "subscriber", "outcome", "rule",
                "target", "attributes", "mode", "actor", "hit_ids", "decided_by", "decided_at", "reason", "nas", "attempts", "retries",
                "error_cause", "request", "answer", "note", "finished_at", "held_reason", "retry_of");
        assertThat(j.get("mode").asText()).isEqualTo("review");
        assertThat(j.get("created_at").asText()).isEqualTo("2026-03-03T03:00:00Z");
        assertThat(j.get("retries").isNull()).isTrue();
        assertThat(j.get("hit_ids")).extracting(JsonNode::asText).containsExactly("1", "2");
    }

    @Test
    void aStoredTraceIsReadBackAsTheReceivedChain() {
        ReceivedChain chain = ReceivedChain.parse("{\"origin\": {\"ip\": \"198.51.100.7\", \"rdns\": null, \"helo\": \"pc\", "
                + "\"by\": \"relay.isp.example\", \"time\": \"2026-11-24T03:12:00+00:00\"}, "
                + "\"trusted\": [{\"ip\": \"127.0.0.1\", \"by\": \"mx.trap.example.net\"}], "
                + "\"untrusted\": [{\"ip\": \"198.51.100.7\", \"helo\": \"pc\"}, \"not a hop\"]}").orElseThrow();
        assertThat(chain.origin().time()).isEqualTo("2026-11-24T03:12:00+00:00");
        assertThat(chain.origin().rdns()).isNull();
        assertThat(chain.trusted()).extracting(ReceivedChain.Hop::by).containsExactly("mx.trap.example.net");
        assertThat(chain.untrusted()).extracting(ReceivedChain.Hop::ip).containsExactly("198.51.100.7");
        assertThat(Json.write(chain)).startsWith("{\"origin\":{\"ip\":\"198.51.100.7\",\"rdns\":null,\"helo\":\"pc\"");
        assertThat(ReceivedChain.parse("{}").orElseThrow().origin()).isNull();
        for (String none : new String[] {null, "", "not json", "[1]", "\"text\""}) {
            assertThat(ReceivedChain.parse(none)).as(String.valueOf(none)).isEmpty();
        }
    }
}
