package org.trapline.desk.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A hit's Received chain as the origin trace found it, read back from the trace stored with the hit
 * (the shape {@code bin/trapline trace} prints). The trust boundary runs between the two lists.
 *
 * @param origin    the origin hop: the client that handed the message to our trusted boundary, or null
 * @param trusted   relays inside the boundary, newest first
 * @param untrusted relays from the origin down, newest first: what the sender's side claims, maybe forged
 */
public record ReceivedChain(Hop origin, List<Hop> trusted, List<Hop> untrusted) implements View {
    private static final ObjectMapper READER = new ObjectMapper();

    public ReceivedChain {
        trusted = List.copyOf(trusted);
        untrusted = List.copyOf(untrusted);
    }

    /**
     * One hop as its Received header says; any field may be missing (null). {@code time} is the text the
     * trace wrote (ISO-8601 with the writer's offset), as the evidence has it.
     */
    public record Hop(String ip, String rdns, String helo, String by, String ident, String envfrom, String id, String auth,
                      String time) implements View {
        static Hop of(JsonNode n) {
            return new Hop(text(n, "ip"), text(n, "rdns"), text(n, "helo"), text(n, "by"), text(n, "ident"), text(n, "envfrom"),
                    text(n, "id"), text(n, "auth"), text(n, "time"));
        }

        @Override
        public ObjectNode json() {
            return Json.object().put("ip", ip).put("rdns", rdns).put("helo", helo).put("by", by).put("ident", ident)
                    .put("envfrom", envfrom).put("id", id).put("auth", auth).put("time", time);
        }
    }

    /**
     * The chain in a stored trace; empty when there is none or it is not a JSON object. Whatever the
     * object lacks is left empty rather than refused: the evidence is shown as it was stored.
     */
    public static Optional<ReceivedChain> parse(String traceJson) {
        if (traceJson == null || traceJson.isBlank()) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = READER.readTree(traceJson);
        } catch (Exception notJson) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode origin = root.path("origin");
        return Optional.of(new ReceivedChain(origin.isObject() ? Hop.of(origin) : null, hops(root.path("trusted")),
                hops(root.path("untrusted"))));
    }

    private static List<Hop> hops(JsonNode list) {
        List<Hop> hops = new ArrayList<>();
        for (JsonNode n : list) {
            if (n.isObject()) {
                hops.add(Hop.of(n));
            }
        }
        return hops;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** {@code {"origin": hop or null, "trusted": [hop...], "untrusted": [hop...]}}. */
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.set("origin", origin == null ? null : origin.json());
        Json.views(m, "trusted", trusted);
        Json.views(m, "untrusted", untrusted);
        return m;
    }
}
