// Trap hits generated from the real corpus, shared by the evidence bench and the desk bench (bench/desk).
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.mime.MessageReader;

/**
 * Hit number {@code i} of {@code count}: corpus message {@code i mod templates} with its own Received,
 * Subject and Message-ID headers, origin IP, subscriber, session, trap address and time (spread over 180
 * days, in order of {@code i}). Deterministic per {@code i} and {@link Spread}, so runs compare.
 */
public final class GeneratedHits {
    public static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    public static final Duration SPAN = Duration.ofDays(180);
    static final int VOCABULARY = 60_000;

    /** The queries abuse staff type most, from a whole-store listing to a narrow session. */
    public static final String[] DESK_QUERIES = {
            "",
            "subscriber:sub7",
            "subscriber:sub42 after:2026-08-01",
            "subscriber:sub123 before:2026-07-01",
            "ip:10.3.0.0/16",
            "ip:10.5.17.0/24 after:2026-09-01",
            "ip:2001:db8::/32",
            "viagra",
            "\"click here\"",
            "\"remove\" \"mailing list\"",
            "free OR money",
            "mortgage -subscriber:sub1",
            "from:hotmail.com",
            "subject:free",
            "domain:insuranceiq.com",
            "has:attachment",
            "trap:trap17@trap.example.net",
            "session:sess-7-3",
            "after:2026-11-20",
            "(cash OR credit) after:2026-10-01 before:2026-10-15",
    };

    /**
     * Who sends the spam and where it lands.
     *
     * @param subscribers  subscribers in all; half of the hits come from the {@code worst} of them
     * @param traps        trap addresses per trap domain
     * @param trapDomains  the first is the one the desk queries name
     * @param heavyEvery   every n-th hit is {@link #HEAVY}'s (0: nobody stands out)
     * @param mixedStatus  some hits attributed STATIC, AMBIGUOUS, NO_SESSION, NOT_OURS or NO_ORIGIN; else all MATCHED
     */
    public record Spread(int subscribers, int worst, int traps, List<String> trapDomains, int heavyEvery, boolean mixedStatus) {
        /** The evidence bench's: every hit attributed, one trap domain. */
        public static final Spread EVIDENCE = new Spread(50_000, 500, 2_000, List.of("trap.example.net"), 0, false);
    }

    /** The subscriber of every {@link Spread#heavyEvery}-th hit. */
    public static final String HEAVY = "sub-heavy";

    public record Template(byte[] raw, String subject) {
    }

    private final List<Template> templates;
    private final Spread spread;

    public GeneratedHits(List<Template> templates, Spread spread) {
        this.templates = List.copyOf(templates);
        this.spread = spread;
    }

    public int templates() {
        return templates.size();
    }

    /** Every message of the corpus directory, without its own Subject, Message-ID and mbox From line. */
    public static List<Template> loadTemplates(Path corpus) throws IOException {
        MessageReader reader = new MessageReader();
        List<Template> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] raw = Files.readAllBytes(p);
                String subject = reader.headline(raw).subject();
                out.add(new Template(stripLeadingHeaders(raw), subject == null ? "" : subject));
            }
        }
        return out;
    }

    /** Drops the template's own Subject/Message-ID lines so each generated message carries its own. */
    static byte[] stripLeadingHeaders(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\n\n");
        int endCrLf = s.indexOf("\r\n\r\n");
        int headerEnd = end < 0 ? endCrLf : endCrLf < 0 ? end : Math.min(end, endCrLf);
        if (headerEnd < 0) {
            return raw;
        }
        String headers = s.substring(0, headerEnd);
        String kept = String.join("\n", Arrays.stream(headers.split("\r?\n(?![ \t])"))
                .filter(h -> !h.regionMatches(true, 0, "Subject:", 0, 8) && !h.regionMatches(true, 0, "Message-ID:", 0, 11)
                        && !h.startsWith("From "))
                .toList());
        return (kept + s.substring(headerEnd)).getBytes(StandardCharsets.ISO_8859_1);
    }

    static String word(SplittableRandom r) {
        // Zipf-like: a few words very common, a long tail of rare ones, as in spam subjects.
        int rank = (int) Math.min(VOCABULARY - 1, Math.floor(Math.pow(VOCABULARY, r.nextDouble())));
        return "w" + Integer.toString(rank * 7919 % VOCABULARY, 36);
    }

    int subscriber(SplittableRandom r) {
        // Heavy offenders: a small set of infected subscribers sends most of the spam.
        return r.nextDouble() < 0.5 ? r.nextInt(spread.worst()) : r.nextInt(spread.subscribers());
    }

    static String originIp(SplittableRandom r, int subscriber) {
        if (subscriber % 10 == 0) {
            return "2001:db8:" + Integer.toHexString(subscriber % 4096) + ":" + Integer.toHexString(r.nextInt(65536)) + "::1";
        }
        return "10." + (subscriber % 16) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    /** Mostly MATCHED, as on a network whose RADIUS accounting the trap sees. */
    static String status(SplittableRandom r) {
        int p = r.nextInt(100);
        return p < 84 ? "MATCHED" : p < 89 ? "STATIC" : p < 92 ? "AMBIGUOUS" : p < 96 ? "NO_SESSION" : p < 99 ? "NOT_OURS" : "NO_ORIGIN";
    }

    /** The random draws of hit {@code i}, the same for every run. */
    public static SplittableRandom random(long i) {
        return new SplittableRandom(i * 0x9E3779B97F4A7C15L);
    }

    /** Hit {@code i} of {@code count} as stored (id {@code i + 1}); its raw message in {@code rawOut[0]}. */
    public StoredHit hit(long i, long count, SplittableRandom r, byte[][] rawOut) {
        Template t = templates.get((int) (i % templates.size()));
        boolean heavy = spread.heavyEvery() > 0 && i % spread.heavyEvery() == 0;
        int sub = heavy ? 0 : subscriber(r);
        String name = heavy ? HEAVY : "sub" + sub;
        String subject = t.subject() + " " + word(r) + " " + word(r);
        String headers = "Received: from pc" + sub + ".dyn.isp.example (" + originIp(r, sub) + ") by mx1.isp.example; "
                + "Sun, 1 Jun 2026 00:00:00 +0000\r\nSubject: " + subject + "\r\nMessage-ID: <" + i + "." + r.nextInt()
                + "@bench.example>\r\n";
        byte[] head = headers.getBytes(StandardCharsets.ISO_8859_1);
        byte[] raw = new byte[head.length + t.raw().length];
        System.arraycopy(head, 0, raw, 0, head.length);
        System.arraycopy(t.raw(), 0, raw, head.length, t.raw().length);
        rawOut[0] = raw;
        Instant at = START.plusMillis((long) (SPAN.toMillis() * ((double) i / count)) + r.nextInt(60_000));
        String sender = "bounce" + r.nextInt(100_000) + "@sender" + r.nextInt(5000) + ".example";
        String trap = "trap" + r.nextInt(spread.traps()) + "@" + spread.trapDomains().get(
                spread.trapDomains().size() == 1 ? 0 : r.nextInt(spread.trapDomains().size()));
        String status = heavy || !spread.mixedStatus() ? "MATCHED" : status(r);
        boolean named = status.equals("MATCHED") || status.equals("STATIC");
        TrapHit trapHit = TrapHit.of("bench-" + i, at, sender, List.of(trap)).withClient("pc" + sub, originIp(r, sub));
        trapHit = status.equals("NO_ORIGIN") ? trapHit : trapHit.withOrigin(originIp(r, sub), at.minusSeconds(2), "pc" + sub);
        trapHit = trapHit.withAttribution(status, named ? name : null, named ? "sess-" + sub + "-" + (i / 5000) : null,
                named ? "192.0.2." + (sub % 20) : null);
        return new StoredHit(i + 1, trapHit, Long.toHexString(i) + "0".repeat(64 - Long.toHexString(i).length()), raw.length,
                subject, null, at, null);
    }
}
