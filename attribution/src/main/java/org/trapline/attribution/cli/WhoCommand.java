package org.trapline.attribution.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.attribution.lookup.Attribution;
import org.trapline.attribution.lookup.AttributionJson;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.AttributionStatus;
import org.trapline.common.net.IpAddress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trapline who IP [--at ISO-8601]} or {@code who --stdin}: which subscriber held an address, as JSON. */
@Command(name = "who", mixinStandardHelpOptions = true,
        description = {"Print which subscriber held an address at an instant, as JSON with \"status\" "
                + "(MATCHED, AMBIGUOUS, NO_SESSION, NOT_OURS, STATIC) and \"subscriber\" (null when none).",
                "With --stdin, read one JSON object per line ({\"ip\": \"192.0.2.1\", \"at\": \"2026-11-23T12:13:20Z\"}, "
                        + "\"at\" optional) and print one compact JSON answer per line, in the same order; a line that "
                        + "cannot be read is answered {\"line\": N, \"error\": \"...\"}.",
                "Exit 0 when someone (or several candidates) held it, 1 when nobody did, 2 for bad input. "
                        + "With --stdin: 0 when every line was read, 2 when some line was not."})
public final class WhoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "IP", description = "IPv4 or IPv6 address (IPv4-mapped IPv6 is read as IPv4)")
    String ip;

    @Option(names = "--at", paramLabel = "ISO-8601",
            description = "instant, e.g. 2025-11-23T12:13:20Z or 2025-11-23T13:13:20+01:00 (default: now)")
    String at;

    @Option(names = "--stdin", description = "answer JSON lines from standard input, one per line")
    boolean stdin;

    private final Supplier<AttributionLookup> lookup;
    private final Supplier<InputStream> input;

    /**
     * @param lookup the lookup, covering every accounting record acknowledged so far
     * @param input  standard input, for {@code --stdin}
     */
    public WhoCommand(Supplier<AttributionLookup> lookup, Supplier<InputStream> input) {
        this.lookup = lookup;
        this.input = input;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (stdin == (ip != null) || stdin && at != null) {
            err.println("who: give either IP [--at TIME] or --stdin");
            err.flush();
            return 2;
        }
        if (stdin) {
            return answerLines(out);
        }
        IpAddress address;
        Instant instant;
        try {
            address = IpAddress.parse(ip);
            instant = at == null ? Instant.now() : parseInstant(at, "--at");
        } catch (IllegalArgumentException e) {
            err.println("who: " + e.getMessage());
            err.flush();
            return 2;
        }
        Attribution a = lookup.get().lookup(address, instant);
        out.println(AttributionJson.toJson(a));
        out.flush();
        return a.status() == AttributionStatus.NO_SESSION || a.status() == AttributionStatus.NOT_OURS ? 1 : 0;
    }

    private int answerLines(PrintWriter out) {
        AttributionLookup l = lookup.get();
        boolean allRead = true;
        long lineNumber = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(input.get(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String answer;
                try {
                    JsonNode q = JSON.readTree(line);
                    if (q == null || !q.isObject() || !q.path("ip").isTextual()) {
                        throw new IllegalArgumentException("expected {\"ip\": \"ADDRESS\", \"at\": \"ISO-8601\"}");
                    }
                    JsonNode when = q.path("at");
                    Instant instant = when.isMissingNode() || when.isNull() ? Instant.now() : parseInstant(when.asText(), "\"at\"");
                    answer = JSON.writeValueAsString(AttributionJson.toMap(l.lookup(IpAddress.parse(q.get("ip").asText()), instant)));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    allRead = false;
                    answer = error(lineNumber, e instanceof JsonProcessingException j ? "not JSON: " + j.getOriginalMessage() : e.getMessage());
                }
                out.println(answer);
            }
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
        return allRead ? 0 : 2;
    }

    private static String error(long line, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        m.put("error", message);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant parseInstant(String text, String what) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(what + " '" + text + "' is not an ISO-8601 instant with zone, e.g. 2025-11-23T12:13:20Z");
            }
        }
    }
}
