package org.trapline.origin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.trapline.origin.ReceivedParser;
import org.trapline.origin.Relay;
import org.trapline.origin.json.OriginJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code trapline received}: parses Received header values, one JSON Lines object
 * {@code {"value": "..."}} per input line, and writes one JSON line per input line in the same
 * order: {@code {"ignored": false, "ip": ..., "time": ...}} for a relay, {@code {"ignored": true}}
 * for a header that is not one.
 *
 * <p>Bad input lines (not JSON, not an object, no string {@code value}, longer than
 * {@value #MAX_LINE_CHARS} characters) get {@code {"error": "line N: ..."}} in their place, so the
 * output stays one line per input line; the run goes on and exits 2 at the end, with a count on
 * stderr. Blank lines are not inputs and get no output line. Output is flushed whenever the input
 * has nothing more ready, so another program can use the command as a coprocess.
 */
@Command(name = "received", mixinStandardHelpOptions = true,
        description = "Parse Received header values: JSON Lines {\"value\": ...} in, one JSON line per input out.")
public final class ReceivedCommand implements Callable<Integer> {

    /** Longest input line read; the rest of a longer line is skipped and the line reported. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
            description = "JSON Lines input; - (the default) reads standard input.")
    String input;

    private final Supplier<InputStream> stdin;
    private final ReceivedParser parser = new ReceivedParser();
    private final ObjectMapper json = new ObjectMapper();

    /** As the root command constructs library commands; reads System.in for "-". */
    public ReceivedCommand(Supplier<Properties> settings, Supplier<Path> dataDir) {
        this(settings, dataDir, () -> System.in);
    }

    /** With a given standard input (for tests and embedding). */
    public ReceivedCommand(Supplier<Properties> settings, Supplier<Path> dataDir, Supplier<InputStream> stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputStream in;
        try {
            in = "-".equals(input) ? StandardInput.unclosable(stdin.get()) : Files.newInputStream(Path.of(input));
        } catch (NoSuchFileException e) {
            err.println("received: no such file: " + input);
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("received: cannot read " + input + ": " + e.getMessage());
            return 2;
        }
        long lineNo = 0;
        long inputs = 0;
        long bad = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            StringBuilder line = new StringBuilder();
            while (true) {
                int status = readLine(reader, line);
                if (status < 0) {
                    break;
                }
                lineNo++;
                if (status == 0 && line.toString().isBlank()) {
                    continue;
                }
                inputs++;
                String answer = status > 0
                        ? OriginJson.error("line " + lineNo + ": longer than " + MAX_LINE_CHARS + " characters")
                        : answer(line.toString(), lineNo);
                if (answer.startsWith("{\"error\"")) {
                    bad++;
                }
                out.println(answer);
                if (!reader.ready()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            out.flush();
            err.println("received: reading input failed after line " + lineNo + ": " + e.getMessage());
            return 2;
        }
        out.flush();
        if (bad > 0) {
            err.println("received: " + bad + " of " + inputs + " lines were not {\"value\": \"...\"} objects; "
                    + "their output lines are {\"error\": ...}");
            return 2;
        }
        return 0;
    }

    private String answer(String line, long lineNo) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            return OriginJson.error("line " + lineNo + ": not JSON");
        }
        if (node == null || !node.isObject()) {
            return OriginJson.error("line " + lineNo + ": not a JSON object");
        }
        JsonNode value = node.get("value");
        if (value == null || !value.isTextual()) {
            return OriginJson.error("line " + lineNo + ": no string field \"value\"");
        }
        Optional<Relay> relay = parser.parse(value.asText());
        return relay.map(OriginJson::received).orElseGet(OriginJson::ignored);
    }

    /**
     * Reads one line into {@code line} (without its terminator). Returns -1 at end of input, 0 for a
     * line, 1 for a line that was longer than the limit (its rest is skipped).
     */
    private static int readLine(BufferedReader reader, StringBuilder line) throws IOException {
        line.setLength(0);
        boolean any = false;
        boolean tooLong = false;
        int c;
        while ((c = reader.read()) >= 0) {
            any = true;
            if (c == '\n') {
                break;
            }
            if (line.length() < MAX_LINE_CHARS) {
                line.append((char) c);
            } else {
                tooLong = true;
            }
        }
        if (!any) {
            return -1;
        }
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(n - 1);
        }
        return tooLong ? 1 : 0;
    }
}
