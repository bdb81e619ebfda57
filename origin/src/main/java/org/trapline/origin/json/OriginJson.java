package org.trapline.origin.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import org.trapline.origin.Endpoint;
import org.trapline.origin.OriginHop;
import org.trapline.origin.Relay;
import org.trapline.origin.Trace;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The JSON shapes of the {@code received} and {@code trace} contracts, one object per line, with the
 * field order and spacing of the contract text ({@code {"ignored": false, "ip": "..."}}). A library's
 * view of its values rather than command-line code: the trap pipeline stores each hit's trace in the
 * very shape {@code bin/trapline trace} prints, so the desk reads one shape whichever wrote it.
 */
public final class OriginJson {

    /** ISO offset form that writes +00:00 rather than Z, as the contract shows. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private static final JsonFactory FACTORY = new JsonFactory();

    private OriginJson() {
    }

    /** Separators ": " and ", " on one line. */
    private static final class Spaced extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String line(Body body) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.setPrettyPrinter(new Spaced());
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** {@code {"ignored": true}}: a Received header that is not a relay. */
    public static String ignored() {
        return line(g -> {
            g.writeStartObject();
            g.writeBooleanField("ignored", true);
            g.writeEndObject();
        });
    }

    /** {@code {"ignored": false, "ip": ..., "time": ...}} for one parsed relay. */
    public static String received(Relay r) {
        return line(g -> {
            g.writeStartObject();
            g.writeBooleanField("ignored", false);
            relayFields(g, r);
            g.writeEndObject();
        });
    }

    /** {@code {"error": "..."}}: an input line the {@code received} contract could not read. */
    public static String error(String message) {
        return line(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /** {@code {"origin": {...} or null, "trusted": [...], "untrusted": [...]}} for a trace. */
    public static String trace(Trace t) {
        Optional<OriginHop> origin = t.origin();
        return line(g -> {
            g.writeStartObject();
            g.writeFieldName("origin");
            if (origin.isPresent()) {
                OriginHop o = origin.get();
                g.writeStartObject();
                g.writeStringField("ip", o.ip());
                port(g, o.port());
                g.writeStringField("endpoint", o.endpoint());
                g.writeStringField("rdns", o.rdns());
                g.writeStringField("helo", o.helo());
                g.writeStringField("by", o.by());
                time(g, o.time());
                g.writeEndObject();
            } else {
                g.writeNull();
            }
            relays(g, "trusted", t.trusted());
            relays(g, "untrusted", t.untrusted());
            g.writeEndObject();
        });
    }

    private static void relays(JsonGenerator g, String name, List<Relay> relays) throws IOException {
        g.writeArrayFieldStart(name);
        for (Relay r : relays) {
            g.writeStartObject();
            relayFields(g, r);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void relayFields(JsonGenerator g, Relay r) throws IOException {
        g.writeStringField("ip", r.ip());
        port(g, r.port());
        g.writeStringField("rdns", r.rdns());
        g.writeStringField("helo", r.helo());
        g.writeStringField("by", r.by());
        g.writeStringField("ident", r.ident());
        g.writeStringField("envfrom", r.envfrom());
        g.writeStringField("id", r.id());
        g.writeStringField("auth", r.auth());
        time(g, r.time());
    }

    /** The client's source port, or null when the header (or socket) gave none. */
    private static void port(JsonGenerator g, int port) throws IOException {
        if (port == Endpoint.UNKNOWN_PORT) {
            g.writeNullField("port");
        } else {
            g.writeNumberField("port", port);
        }
    }

    private static void time(JsonGenerator g, OffsetDateTime t) throws IOException {
        if (t == null) {
            g.writeNullField("time");
        } else {
            g.writeStringField("time", TIME.format(t));
        }
    }
}
