// Web desk speed benchmark: run with ./run.sh (see README.md). Not part of the test suite.
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.trapline.attribution.session.SessionTarget;
import org.trapline.desk.Desk;
import org.trapline.enforcement.Enforcer;
import org.trapline.enforcement.PolicyDatabase;
import org.trapline.enforcement.PolicySettings;
import org.trapline.enforcement.StrikeHit;
import org.trapline.enforcement.coa.CoaResult;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.trapline.web.DeskSettings;
import org.trapline.web.WebDesk;
import org.trapline.web.account.PasswordHash;
import org.trapline.web.account.Role;
import org.trapline.web.account.StaffAccounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds (once, into a cache directory) an evidence store of many trap hits through the store's own
 * write path, serves the real web desk over it on loopback, logs in through the login form and measures
 * the server's time to a full response body for the desk's pages and API routes, then the search page's
 * first paint in headless Chromium.
 */
public class DeskBench {
    static final String STAFF = "bench";
    static final String PASSWORD = "bench desk password";
    /** Hits of one store build between two syncs, as the MX's flush interval batches them. */
    static final int SYNC_EVERY = 2_000;
    /**
     * One hit of the heavy subscriber in this many feeds the strike policy, so that its case shows strikes and
     * actions; the policy's own speed is bench/enforce's.
     */
    static final int STRIKE_EVERY = 10;
    static final ObjectMapper JSON = new ObjectMapper();
    static final GeneratedHits.Spread SPREAD = new GeneratedHits.Spread(5_000, 100, 500,
            List.of("trap.example.net", "spamtrap.isp.example", "honey.example.org", "old-mx.example.com"), 100, true);

    record Target(String what, String measured, String target, boolean pass) {
    }

    public static void main(String[] args) throws Exception {
        int hits = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int loads = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path cache = Path.of(System.getProperty("cache", "bench/desk/target")).resolve("store-" + hits);
        Path corpus = Path.of(System.getProperty("corpus", "../shared/testdata/messages"));
        GeneratedHits generated = new GeneratedHits(GeneratedHits.loadTemplates(corpus), SPREAD);
        System.out.printf("desk bench: %,d hits, %d cores, heap %d MB, store %s%n", hits,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, cache);
        if (!Files.exists(cache.resolve("complete")) && Boolean.getBoolean("partial") && Files.isDirectory(cache)) {
            // A build cut short: every hit recorded so far is kept (the store is safe against a kill), the rest missing.
            System.out.println("store: PARTIAL, its build was stopped before " + hits + " hits; measuring the hits it has");
        } else if (!Files.exists(cache.resolve("complete"))) {
            build(cache, generated, hits);
        } else {
            System.out.printf("store: reused (built %s)%n", Files.readString(cache.resolve("complete")).strip());
        }
        if (Boolean.getBoolean("buildOnly")) {
            return;
        }
        Clock clock = Clock.systemUTC();
        long opened = System.nanoTime();
        try (EvidenceStore evidence = EvidenceStore.open(cache, clock); PolicyDatabase policy = PolicyDatabase.open(cache);
             StaffAccounts staff = StaffAccounts.inMemory("bench", new PasswordHash(PasswordHash.COST), clock)) {
            evidence.refreshIndex();
            System.out.printf("store opened in %.1f s: %,d hits%n", (System.nanoTime() - opened) / 1e9, evidence.count());
            Enforcer enforcer = enforcer(policy, clock);
            org.trapline.desk.casebook.Casebook casebook = org.trapline.desk.casebook.Casebook.inMemory("bench-casebook");
            Desk desk = new Desk(() -> evidence, () -> enforcer, () -> casebook, clock);
            staff.add(STAFF, Role.ANALYST, PASSWORD.toCharArray());
            try (WebDesk web = WebDesk.start(DeskSettings.parse("127.0.0.1:0", false), () -> desk, () -> staff, clock)) {
                Client client = Client.login(web.address());
                List<Target> targets = new ArrayList<>(serverTimes(client, evidence.count()));
                targets.add(firstPaint(web.address(), loads));
                System.out.printf("%n%-58s %-34s %-12s %s%n", "what", "measured", "target", "");
                for (Target t : targets) {
                    System.out.printf("%-58s %-34s %-12s %s%n", t.what(), t.measured(), t.target(), t.pass() ? "PASS" : "FAIL");
                }
            }
        }
    }

    /** The policy of the shipped defaults, the NAS answering ACK to every change of authorization. */
    static Enforcer enforcer(PolicyDatabase policy, Clock clock) {
        Instant now = clock.instant();
        return new Enforcer(PolicySettings.from(new Properties()), policy.jdbi(),
                c -> new CoaResult(CoaResult.Outcome.ACK, null, 1, "192.0.2.1", "", "", "", now, now), n -> "", s -> Optional.empty(),
                clock);
    }

    /**
     * Records every hit with {@code recordDeferringSync} (raw pack, H2 row, index document: the MX's
     * pipeline path) on two threads, a sync every {@link #SYNC_EVERY}.
     */
    static void build(Path cache, GeneratedHits generated, int hits) throws Exception {
        if (Files.exists(cache)) {
            deleteTree(cache);
        }
        Files.createDirectories(cache);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long started = System.nanoTime();
        Clock clock = Clock.systemUTC();
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        try (EvidenceStore store = EvidenceStore.open(cache, clock); PolicyDatabase policy = PolicyDatabase.open(cache)) {
            Enforcer enforcer = enforcer(policy, clock);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int w = 0; w < 2; w++) {
                Thread t = new Thread(() -> {
                    byte[][] raw = new byte[1][];
                    try {
                        long i;
                        while ((i = next.getAndIncrement()) < hits) {
                            StoredHit h = generated.hit(i, hits, GeneratedHits.random(i), raw);
                            long id = store.recordDeferringSync(h.hit(), raw[0]).hitId();
                            if (GeneratedHits.HEAVY.equals(h.hit().subscriber()) && i % (STRIKE_EVERY * SPREAD.heavyEvery()) == 0) {
                                enforcer.onHit(StrikeHit.matched(Long.toString(id), h.hit().receivedAt(), h.hit().originIp(),
                                        h.hit().subscriber(), SessionTarget.of(h.hit().nasIp(), h.hit().sessionId(),
                                                h.hit().subscriber(), h.hit().originIp())));
                            }
                            long d = done.incrementAndGet();
                            if (d % SYNC_EVERY == 0) {
                                store.sync();
                            }
                            if (d % 100_000 == 0) {
                                double s = (System.nanoTime() - started) / 1e9;
                                System.out.printf("  %,d hits in %.0f s (%,.0f hits/s)%n", d, s, d / s);
                            }
                        }
                    } catch (RuntimeException e) {
                        failed.add(e);
                    }
                }, "build-" + w);
                t.start();
                workers.add(t);
            }
            for (Thread t : workers) {
                t.join();
            }
            if (!failed.isEmpty()) {
                throw new IllegalStateException("store build failed", failed.get(0));
            }
            store.sync();
            store.refreshIndex();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        String line = String.format("%s, %,d hits in %.0f s = %,.0f hits/s; %.0f s of process CPU = %.0f us a hit; load average %.1f",
                Instant.now(), hits, seconds, hits / seconds, cpu, cpu * 1e6 / hits, os.getSystemLoadAverage());
        Files.writeString(cache.resolve("complete"), line + "\n");
        System.out.printf("store: built %s%n", line);
    }

    /** A logged-in staff member's HTTP client: the session cookie of the real login form, no redirects followed. */
    record Client(HttpClient http, String base, String cookie) {
        static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

        static Client login(String address) throws Exception {
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            String base = "http://" + address;
            HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = CSRF.matcher(form.body());
            if (!m.find()) {
                throw new IllegalStateException("no CSRF token on the login form");
            }
            String loginCookie = cookie(form, "trapline_login");
            String body = "name=" + enc(STAFF) + "&password=" + enc(PASSWORD) + "&csrf=" + enc(m.group(1));
            HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "trapline_login=" + loginCookie)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            String session = cookie(in, "trapline_session");
            if (in.statusCode() != 303 || session == null) {
                throw new IllegalStateException("login failed: " + in.statusCode());
            }
            return new Client(http, base, "trapline_session=" + session);
        }

        static String cookie(HttpResponse<?> r, String name) {
            return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                    .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst().orElse(null);
        }

        /** Server time of one GET: from sending the request to the last byte of the body, over loopback. */
        long time(String path) throws Exception {
            return get(path).nanos();
        }

        Response get(String path) throws Exception {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build();
            long s = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            long t = System.nanoTime() - s;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
            return new Response(t, r.body());
        }
    }

    record Response(long nanos, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Sorted times in ms and their summary. */
    record Times(double[] ms) {
        static Times of(List<Long> nanos) {
            return new Times(nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray());
        }

        double p(double q) {
            return ms[Math.max(0, (int) Math.ceil(ms.length * q) - 1)];
        }

        String text() {
            return String.format("p50 %.1f, p95 %.1f, max %.1f ms", p(0.5), p(0.95), ms[ms.length - 1]);
        }
    }

    static List<Target> serverTimes(Client c, long count) throws Exception {
        List<Target> out = new ArrayList<>();
        int rounds = 20;
        String heavyCase = "/cases/" + GeneratedHits.HEAVY;
        String heavyApi = "/api/v1/cases/" + GeneratedHits.HEAVY;
        // Warm-up: every route a few times, so that the JIT and the index's caches see the work once.
        for (int warm = 0; warm < 3; warm++) {
            for (String q : GeneratedHits.DESK_QUERIES) {
                c.time("/search?q=" + enc(q));
                c.time("/api/v1/hits?q=" + enc(q));
            }
            c.time(heavyCase);
            c.time(heavyApi);
        }
        SplittableRandom r = new SplittableRandom(16);
        for (int i = 0; i < 50; i++) {
            long id = 1 + r.nextLong(count);
            c.time("/hits/" + id);
            c.time("/api/v1/hits/" + id);
        }

        System.out.printf("%n%-55s %10s %9s %9s %9s %9s%n", "search page (HTML, 50 a page) / API (limit 50)", "matches", "page p50",
                "page p95", "api p50", "api p95");
        List<Long> page = new ArrayList<>();
        List<Long> api = new ArrayList<>();
        for (String q : GeneratedHits.DESK_QUERIES) {
            List<Long> p = new ArrayList<>();
            List<Long> a = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < rounds; i++) {
                p.add(c.time("/search?q=" + enc(q)));
                Response j = c.get("/api/v1/hits?q=" + enc(q));
                a.add(j.nanos());
                total = j.json().path("total").asLong();
            }
            page.addAll(p);
            api.addAll(a);
            Times tp = Times.of(p);
            Times ta = Times.of(a);
            System.out.printf("%-55s %,10d %9.1f %9.1f %9.1f %9.1f%n", q.isEmpty() ? "(everything)" : q, total, tp.p(0.5), tp.p(0.95),
                    ta.p(0.5), ta.p(0.95));
        }
        Times search = Times.of(page);
        Times searchApi = Times.of(api);
        out.add(new Target("search page, 20 desk queries x " + rounds, search.text(), "p95 <= 100", search.p(0.95) <= 100));
        out.add(new Target("GET /api/v1/hits?q=, the same", searchApi.text(), "p95 <= 100", searchApi.p(0.95) <= 100));

        List<Long> hitPage = new ArrayList<>();
        List<Long> hitApi = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long id = 1 + r.nextLong(count);
            hitPage.add(c.time("/hits/" + id));
            hitApi.add(c.time("/api/v1/hits/" + id));
        }
        Times th = Times.of(hitPage);
        Times ta = Times.of(hitApi);
        out.add(new Target("hit page, 200 random hits", th.text(), "p95 <= 50", th.p(0.95) <= 50));
        out.add(new Target("GET /api/v1/hits/{id}, the same", ta.text(), "p95 <= 50", ta.p(0.95) <= 50));

        List<Long> casePage = new ArrayList<>();
        List<Long> caseApi = new ArrayList<>();
        int caseHits = c.get(heavyApi).json().path("hits").asInt();
        for (int i = 0; i < rounds; i++) {
            casePage.add(c.time(heavyCase));
            caseApi.add(c.time(heavyApi));
        }
        Times tc = Times.of(casePage);
        Times tca = Times.of(caseApi);
        out.add(new Target("case page, " + GeneratedHits.HEAVY + " (" + caseHits + " hits)", tc.text(), "p95 <= 200", tc.p(0.95) <= 200));
        out.add(new Target("GET /api/v1/cases/{subscriber}, the same", tca.text(), "p95 <= 200", tca.p(0.95) <= 200));

        out.addAll(deepPage(c, "", rounds));
        out.addAll(deepPage(c, "free OR money", rounds));
        return out;
    }

    /** Page 500 (the cursor walked through the API, 50 a page as the search page lists) against page 1. */
    static List<Target> deepPage(Client c, String q, int rounds) throws Exception {
        String query = "q=" + enc(q);
        String after = null;
        long walk = System.nanoTime();
        int depth = (int) Math.min(500, c.get("/api/v1/hits?" + query + "&limit=1").json().path("total").asLong() / 50);
        for (int p = 1; p < depth; p++) {
            JsonNode j = c.get("/api/v1/hits?" + query + "&limit=50" + (after == null ? "" : "&after=" + enc(after))).json();
            after = j.path("next").isNull() ? null : j.path("next").asText();
            if (after == null) {
                throw new IllegalStateException("query " + q + " ended before page " + depth);
            }
        }
        double walked = (System.nanoTime() - walk) / 1e6;
        String deep = "&after=" + enc(after);
        List<Long> first = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        List<Long> firstApi = new ArrayList<>();
        List<Long> lastApi = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            c.time("/search?" + query + deep);
        }
        for (int i = 0; i < rounds; i++) {
            first.add(c.time("/search?" + query));
            last.add(c.time("/search?" + query + deep));
            firstApi.add(c.time("/api/v1/hits?" + query + "&limit=50"));
            lastApi.add(c.time("/api/v1/hits?" + query + "&limit=50" + deep));
        }
        Times f = Times.of(first);
        Times l = Times.of(last);
        Times fa = Times.of(firstApi);
        Times la = Times.of(lastApi);
        String name = q.isEmpty() ? "(everything)" : q;
        System.out.printf("%nwalked %d pages of %s through the API in %.0f ms (%.1f ms a page)%n", depth - 1, name, walked,
                walked / (depth - 1));
        double ratio = l.p(0.5) / f.p(0.5);
        double ratioApi = la.p(0.5) / fa.p(0.5);
        return List.of(
                new Target("search page " + depth + " / page 1 of " + name + " (p50)",
                        String.format("%.2f (%.1f / %.1f ms)", ratio, l.p(0.5), f.p(0.5)), "<= 2", ratio <= 2),
                new Target("GET /api/v1/hits page " + depth + " / page 1, the same",
                        String.format("%.2f (%.1f / %.1f ms)", ratioApi, la.p(0.5), fa.p(0.5)), "<= 2", ratioApi <= 2));
    }

    /**
     * First contentful paint of the search page (everything, newest first) in headless Chromium, logged in
     * through the login form: the median of {@code loads} navigations after two unmeasured ones.
     */
    static Target firstPaint(String address, int loads) throws Exception {
        Path profile = Files.createTempDirectory("desk-bench-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(System.getProperty("chromium", "/usr/bin/chromium"));
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
        System.setProperty("webdriver.chrome.driver", System.getProperty("chromedriver", "/usr/bin/chromedriver"));
        WebDriver driver = new ChromeDriver(o);
        try {
            String base = "http://" + address;
            driver.get(base + "/login");
            driver.findElement(By.id("name")).sendKeys(STAFF);
            driver.findElement(By.id("password")).sendKeys(PASSWORD);
            driver.findElement(By.id("password")).submit();
            for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos(); !driver.getCurrentUrl().endsWith("/search"); ) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("Chromium did not log in: at " + driver.getCurrentUrl());
                }
                Thread.sleep(50);
            }
            JavascriptExecutor js = (JavascriptExecutor) driver;
            List<double[]> samples = new ArrayList<>();
            for (int i = 0; i < loads + 2; i++) {
                driver.get(base + "/search?q=");
                // The paint entry is queued a moment after load; wait for it rather than read a missing one.
                Object fcp = null;
                for (int tries = 0; tries < 50 && fcp == null; tries++) {
                    fcp = js.executeScript("const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null;");
                    if (fcp == null) {
                        Thread.sleep(20);
                    }
                }
                Object nav = js.executeScript("const n = performance.getEntriesByType('navigation')[0];"
                        + " return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd];");
                List<?> n = (List<?>) nav;
                if (i >= 2 && fcp != null) {
                    samples.add(new double[] {((Number) fcp).doubleValue(), ((Number) n.get(0)).doubleValue(),
                            ((Number) n.get(1)).doubleValue(), ((Number) n.get(2)).doubleValue()});
                }
            }
            if (samples.isEmpty()) {
                return new Target("first contentful paint, search page (Chromium)", "no paint entry", "p50 <= 300", false);
            }
            double fcp = median(samples, 0);
            System.out.printf("%nChromium, search page (everything), %d loads: first-contentful-paint p50 %.0f ms (min %.0f, max %.0f); "
                    + "responseStart %.0f, responseEnd %.0f, DOMContentLoaded %.0f ms (medians)%n", samples.size(), fcp,
                    samples.stream().mapToDouble(s -> s[0]).min().orElse(0), samples.stream().mapToDouble(s -> s[0]).max().orElse(0),
                    median(samples, 1), median(samples, 2), median(samples, 3));
            return new Target("first contentful paint, search page (Chromium, " + samples.size() + " loads)",
                    String.format("p50 %.0f ms", fcp), "p50 <= 300", fcp <= 300);
        } finally {
            driver.quit();
            deleteTree(profile);
        }
    }

    static double median(List<double[]> samples, int k) {
        double[] v = samples.stream().mapToDouble(s -> s[k]).sorted().toArray();
        return v[v.length / 2];
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
