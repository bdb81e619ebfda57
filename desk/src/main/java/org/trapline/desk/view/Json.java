package org.trapline.desk.view;

import java.time.Instant;
import java.util.List;

import org.trapline.common.TerminalText;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writing the desk's views as JSON. Spam text is hostile and JSON lines end up on terminals and in
 * web pages: besides the control characters JSON escapes anyway, C1 controls, the bidirectional marks
 * and overrides and the JavaScript line separators are written as {@code \}{@code uXXXX}, so no raw
 * one reaches a reader that does not parse the JSON first. The values parse back unchanged.
 */
public final class Json {
    private static final ObjectMapper WRITER = new ObjectMapper(new JsonFactoryBuilder().characterEscapes(new HostileTextEscapes()).build());

    private Json() {
    }

    /** One line of JSON, no line breaks inside. */
    public static String write(View view) {
        return write(view.json());
    }

    static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a desk view as JSON", e);
        }
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** ISO-8601 ({@link Instant#toString}), or null. */
    static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    static ArrayNode strings(ObjectNode parent, String key, List<String> values) {
        ArrayNode a = parent.putArray(key);
        values.forEach(a::add);
        return a;
    }

    static ArrayNode views(ObjectNode parent, String key, List<? extends View> values) {
        ArrayNode a = parent.putArray(key);
        values.forEach(v -> a.add(v.json()));
        return a;
    }

    private static final class HostileTextEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        HostileTextEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        /** Asked for every character beyond ASCII; null writes it as it is. */
        @Override
        public SerializableString getEscapeSequence(int ch) {
            return TerminalText.unsafe(ch) || ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04X", ch)) : null;
        }
    }
}
