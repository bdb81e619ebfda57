package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.sun.net.httpserver.HttpServer;

/**
 * The web desk as {@code bin/trapline run} serves it: a staff account made with {@code user add}, spam over
 * real SMTP, and, in Debian's headless Chromium, the login, the search, the hit with its origin hop and the
 * spam's HTML, which must run no script and fetch nothing (a loopback "spammer" server counts every request).
 */
class WebDeskEndToEndTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String PASSWORD = "a passphrase for ann";

    @TempDir
    Path tmp;

    @Test
    void runServesTheDeskToStaffAddedByUserAdd() throws Exception {
        TestInstance t = new TestInstance(tmp);
        try (TraplineServer server = t.start(TestInstance.freePort())) {
            String desk = desk(server);
            assertThat(desk).startsWith("127.0.0.1:");
            Cli added = Cli.withStdin(PASSWORD + "\n", "--conf", t.conf.toString(), "--data", t.data.toString(),
                    "user", "add", "ann", "--role", "approver");
            assertThat(added.code()).as(added.err()).isZero();
            Cli argv = Cli.run("--conf", t.conf.toString(), "--data", t.data.toString(), "user", "add", "bob", "--role", "viewer",
                    "--password", PASSWORD);
            assertThat(argv.code()).isEqualTo(2);

            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://" + desk + "/api/v1/hits")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://" + desk + "/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"ann\", \"password\": \"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpResponse<String> hits = http.send(HttpRequest.newBuilder(URI.create("http://" + desk + "/api/v1/hits"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hits.statusCode()).isEqualTo(200);
            assertThat(hits.body()).startsWith("{\"total\":0,");
        }
        Cli status = Cli.run("--conf", t.conf.toString(), "--data", t.data.toString(), "check");
        assertThat(status.out()).contains("web desk on 127.0.0.1:0");
    }

    @Test
    void aDeskBesideTheServerRelaysThroughTheControlSocket() throws Exception {
        TestInstance t = new TestInstance(tmp);
        try (TraplineServer server = t.start(TestInstance.freePort());
             org.trapline.server.cli.DeskRelay relay = org.trapline.server.cli.DeskRelay.start(
                     new org.trapline.web.DeskSettings("127.0.0.1", 0, false), t.conf, t.data)) {
            assertThat(Cli.withStdin(PASSWORD + "\n", "--conf", t.conf.toString(), "--data", t.data.toString(),
                    "user", "add", "ann", "--role", "viewer").code()).isZero();
            String desk = "http://" + relay.address();
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(desk + "/hits/1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(303);
            assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
            assertThat(anonymous.headers().firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'");
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(desk + "/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"ann\", \"password\": \"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
            HttpResponse<String> hits = http.send(HttpRequest.newBuilder(URI.create(desk + "/api/v1/hits?q=subject:x&limit=5"))
                    .header("Cookie", cookie.split(";")[0]).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hits.statusCode()).isEqualTo(200);
            assertThat(hits.body()).startsWith("{\"total\":0,");
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(desk + "/api/v1/hits?q=sbject:x"))
                    .header("Cookie", cookie.split(";")[0]).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("bad query:");
        }
    }

    @Test
    void inChromiumTheHostileHtmlRunsNothingAndFetchesNothing() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed: apt-get install -y chromium chromium-driver");
        List<String> spammerSaw = new CopyOnWriteArrayList<>();
        HttpServer spammer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        spammer.createContext("/", exchange -> {
            spammerSaw.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        spammer.start();
        String evil = "http://127.0.0.1:" + spammer.getAddress().getPort();
        Path screens = TestInstance.repo().resolve("server/target/web-desk-screens");
        Files.createDirectories(screens);

        TestInstance t = new TestInstance(tmp);
        int smtp = TestInstance.freePort();
        WebDriver browser = null;
        try (TraplineServer server = t.start(smtp)) {
            assertThat(Cli.withStdin(PASSWORD + "\n", "--conf", t.conf.toString(), "--data", t.data.toString(),
                    "user", "add", "ann", "--role", "analyst").code()).isZero();
            String now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                    .format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(java.util.Locale.ROOT));
            try (SmtpClient c = new SmtpClient("127.0.0.1", smtp)) {
                c.command("EHLO relay.isp.example");
                String message = "Received: from WIN-ZOMBIE ([10.0.9.77]) by relay.isp.example with SMTP; " + now + "\r\n"
                        + "Subject: <script>document.title='pwned'</script>cheap pills\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
                        + "--b\r\nContent-Type: text/plain\r\n\r\ncheap pills, plain\r\n"
                        + "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                        + "<html><head><base href=\"" + evil + "/base/\"><link rel=stylesheet href=\"" + evil + "/link.css\">"
                        + "<meta http-equiv=\"refresh\" content=\"0;url=" + evil + "/refresh\">"
                        + "<style>body{background:url(" + evil + "/style-url.png)} @import url(" + evil + "/import.css);</style></head>"
                        + "<body onload=\"new Image().src='" + evil + "/onload'\">"
                        + "<script>new Image().src='" + evil + "/script';parent.document.title='pwned'</script>"
                        + "<p id=pills style=\"background-image:url(" + evil + "/inline-url.png)\">Cheap pills inside</p>"
                        + "<img src=\"" + evil + "/pixel.gif\" onerror=\"new Image().src='" + evil + "/onerror'\" alt=\"pixel\">"
                        + "<img src=x onerror=\"new Image().src='" + evil + "/onerror2'\">"
                        + "<a href=\"javascript:new Image().src='" + evil + "/js-link'\">click me</a>"
                        + "<svg><script>new Image().src='" + evil + "/svg'</script></svg>"
                        + "<iframe src=\"" + evil + "/frame\"></iframe><form action=\"" + evil + "/form\"><input name=q></form>"
                        + "<img id=logo src=\"cid:logo@spam\" alt=\"logo\">"
                        + "</body></html>\r\n--b\r\nContent-Type: image/png\r\nContent-ID: <logo@spam>\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"
                        + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n--b--\r\n";
                assertThat(c.send("spammer@forged.example", List.of("victim@trap.example.net"),
                        message.getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(250);
            }
            TrapToSubscriberTest.awaitSpoolDrained(t.data.resolve("spool"));
            Thread.sleep(1500);
            String desk = "http://" + desk(server);

            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toString());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1280,2400", "--user-data-dir=" + tmp.resolve("chromium"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            browser = new ChromeDriver(service, options);
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));

            browser.get(desk + "/search?q=pills");
            assertThat(browser.getCurrentUrl()).isEqualTo(desk + "/login");
            shot(browser, screens, "1-login");
            browser.findElement(By.id("name")).sendKeys("ann");
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("login")).click();
            assertThat(browser.getCurrentUrl()).isEqualTo(desk + "/search");

            browser.findElement(By.id("q")).sendKeys("pills");
            browser.findElement(By.id("go")).click();
            shot(browser, screens, "2-search");
            assertThat(browser.findElement(By.id("total")).getText()).startsWith("1 trap hits");
            assertThat(browser.findElement(By.cssSelector("#hits .subject")).getText()).contains("<script>");
            browser.findElement(By.cssSelector("#facet-trapdomain a")).click();
            assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo("pills trapdomain:trap.example.net");
            assertThat(browser.findElement(By.id("total")).getText()).startsWith("1 trap hits");
            try (SmtpClient c = new SmtpClient("127.0.0.1", smtp)) {
                c.command("EHLO relay.isp.example");
                assertThat(c.send("spammer@forged.example", List.of("victim@trap.example.net"),
                        "Subject: more pills\r\n\r\nmore pills\r\n".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(250);
            }
            // The desk's own script polls every 10 s; the CSP lets it run and nothing else.
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!browser.findElement(By.id("live")).isDisplayed() && System.nanoTime() < until) {
                Thread.sleep(500);
            }
            assertThat(browser.findElement(By.id("live-link")).getText()).startsWith("1 new hit");
            shot(browser, screens, "2b-live-count");
            browser.findElement(By.cssSelector("#hits .subject")).click();

            assertThat(browser.findElement(By.id("origin-hop")).getText()).contains("10.0.9.77").contains("WIN-ZOMBIE");
            browser.switchTo().frame(browser.findElement(By.id("html-view")));
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("Cheap pills inside").contains("[image: pixel]");
            assertThat(browser.findElement(By.cssSelector("img[src*='/cid/']")).getSize().getWidth()).as("the message's own cid: image, 1 px wide, loaded")
                    .isEqualTo(1);
            browser.switchTo().defaultContent();
            Thread.sleep(1000);
            shot(browser, screens, "3-hit");
            assertThat(browser.getTitle()).doesNotContain("pwned").contains("Hit #");
            assertThat(spammerSaw).as("requests that left the page for the spammer's server").isEmpty();

            browser.navigate().to(desk + "/hits/1/html");
            Thread.sleep(1000);
            shot(browser, screens, "4-html-alone");
            assertThat(spammerSaw).as("requests from the spam HTML opened on its own").isEmpty();
        } finally {
            if (browser != null) {
                browser.quit();
            }
            spammer.stop(0);
        }
    }

    /** Where the server's desk listens, from its status. */
    @SuppressWarnings("unchecked")
    static String desk(TraplineServer server) {
        return (String) ((Map<String, Object>) server.status().toMap().get("listening")).get("desk");
    }

    static void shot(WebDriver browser, Path dir, String name) throws IOException {
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
