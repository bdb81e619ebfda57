package org.trapline.origin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.trapline.origin.ClientConnection;
import org.trapline.origin.MessageHeaders;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.ReceivedParser;
import org.trapline.origin.TrustPolicy;
import org.trapline.origin.cli.ReceivedCommand;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Speed of the origin library over the shared corpora (not a test; see bench/origin/README.md).
 * Usage: OriginBenchmark [testdata-dir] [seconds-per-measurement]
 */
public final class OriginBenchmark {

    private static volatile Object sink;

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/testdata");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        ObjectMapper json = new ObjectMapper();

        List<String> corpus = new ArrayList<>();
        for (String f : List.of("sa_rcvd_parser.jsonl", "orangeassassin_received.jsonl", "stalwart_received_public.jsonl")) {
            for (String line : Files.readAllLines(data.resolve("received").resolve(f))) {
                JsonNode n = json.readTree(line);
                if (n.has("received_header_value")) {
                    corpus.add(n.get("received_header_value").asText());
                } else {
                    n.get("received_headers").forEach(h -> corpus.add(h.asText()));
                }
            }
        }
        List<byte[]> messages = new ArrayList<>();
        try (Stream<Path> s = Files.walk(data.resolve("messages"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                messages.add(Files.readAllBytes(p));
            }
        }
        List<String> messageReceived = new ArrayList<>();
        for (byte[] m : messages) {
            messageReceived.addAll(MessageHeaders.parse(m).values("Received"));
        }

        ReceivedParser parser = new ReceivedParser();
        System.out.printf("java %s, %d cores%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.printf("corpus: %d test-data header values, %d Received headers from %d messages%n",
                corpus.size(), messageReceived.size(), messages.size());

        double rate = perSecond(seconds, corpus.size(), () -> {
            for (String h : corpus) {
                sink = parser.parse(h);
            }
        });
        System.out.printf("parse, test-data headers:      %,12.0f headers/s%n", rate);
        rate = perSecond(seconds, messageReceived.size(), () -> {
            for (String h : messageReceived) {
                sink = parser.parse(h);
            }
        });
        System.out.printf("parse, message headers:        %,12.0f headers/s%n", rate);

        OriginTracer tracer = new OriginTracer(TrustPolicy.fromProperties(new Properties()));
        double perMessage = perSecond(seconds, messages.size(), () -> {
            for (byte[] m : messages) {
                sink = tracer.trace(m, ClientConnection.of("203.0.113.9", "zombie"));
            }
        });
        long totalBytes = messages.stream().mapToLong(m -> m.length).sum();
        System.out.printf("trace raw message (all %d, mean %,d bytes): %8.1f us/message%n",
                messages.size(), totalBytes / messages.size(), 1e6 / perMessage);

        byte[] typical = typical(messages);
        int typicalReceived = MessageHeaders.parse(typical).values("Received").size();
        double perTypical = perSecond(seconds, 1, () -> sink = tracer.trace(typical, null));
        System.out.printf("trace typical message (%d Received, %,d bytes): %8.1f us/message%n",
                typicalReceived, typical.length, 1e6 / perTypical);

        byte[] huge = hostile();
        double perHuge = perSecond(seconds, 1, () -> sink = tracer.trace(huge, null));
        System.out.printf("trace hostile message (1,000 Received, 100 KB lines, %,d bytes): %,10.0f us/message%n",
                huge.length, 1e6 / perHuge);

        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            lines.append(json.writeValueAsString(json.createObjectNode().put("value", corpus.get(i % corpus.size())))).append('\n');
        }
        byte[] input = lines.toString().getBytes(StandardCharsets.UTF_8);
        double perRun = perSecond(seconds, 1, () -> {
            CommandLine cl = new CommandLine(new ReceivedCommand(Properties::new, () -> Path.of("."),
                    () -> new ByteArrayInputStream(input)));
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out));
            sink = cl.execute();
        });
        System.out.printf("received command, 10,000 JSON lines in process: %,10.0f lines/s%n", 10_000 * perRun);
    }

    /** A message whose Received count is the corpus median. */
    private static byte[] typical(List<byte[]> messages) {
        List<byte[]> sorted = new ArrayList<>(messages);
        sorted.sort((a, b) -> Integer.compare(MessageHeaders.parse(a).values("Received").size(),
                MessageHeaders.parse(b).values("Received").size()));
        return sorted.get(sorted.size() / 2);
    }

    private static byte[] hostile() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("Received: from h").append(i).append(" (h [198.51.100.").append(i % 250 + 1)
                    .append("]) by x with ESMTP id ").append(i).append("; Tue, 5 Sep 2023 10:00:00 +0200\r\n");
        }
        for (int i = 0; i < 5; i++) {
            sb.append("Received: from ").append("(".repeat(100_000)).append("\r\n");
        }
        sb.append("\r\nbody\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs the body repeatedly (after a warm-up) and returns items per second. */
    private static double perSecond(double seconds, int itemsPerRun, Runnable body) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.4e9);
        while (System.nanoTime() < warmEnd) {
            body.run();
        }
        long runs = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            body.run();
            runs++;
            now = System.nanoTime();
        } while (now < end);
        return runs * (double) itemsPerRun / ((now - start) / 1e9);
    }

    private OriginBenchmark() {
    }
}
