package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.trapline.enforcement.coa.FreeRadiusStandIn;
import org.trapline.server.cli.DeskRelay;
import org.trapline.web.DeskSettings;
import org.trapline.web.auth.LoginThrottle;

/**
 * The review flow in Debian's headless Chromium against {@code bin/trapline run}: radclient reports alice's
 * session, her zombie's spam earns a strike whose fence waits for review, an approver confirms it with a
 * reason (FreeRADIUS, standing in for the NAS, ACKs it), opens the case with its chart and unblocks her
 * (the restoring CoA reaches the NAS). And through {@code bin/trapline desk}'s relay, failed logins count
 * per browser address, not all as the relay's loopback.
 */
class DeskReviewEndToEndTest {
    static final String PASSWORD = "a passphrase for ann";
    static final String ALICE = "alice@isp.example";

    @TempDir
    Path tmp;

    @Test
    void anApproverConfirmsTheFenceInTheBrowserSeesTheCaseAndUnblocks() throws Exception {
        assumeTrue(Files.isExecutable(WebDeskEndToEndTest.CHROMIUM) && Files.isExecutable(WebDeskEndToEndTest.CHROMEDRIVER),
                "Chromium is not installed: apt-get install -y chromium chromium-driver");
        EnforcementEndToEndTest.Scenario s = new EnforcementEndToEndTest.Scenario(tmp, "review");
        // Long enough that the block does not run out (and dismiss the fence) before the browser confirms it.
        s.t.set("strike.block-base", "PT1H");
        Path screens = TestInstance.repo().resolve("server/target/web-desk-screens");
        Files.createDirectories(screens);
        WebDriver browser = null;
        try (FreeRadiusStandIn nas = s.nas(); TraplineServer server = s.start(nas)) {
            assertThat(Cli.withStdin(PASSWORD + "\n", "--conf", s.t.conf.toString(), "--data", s.t.data.toString(),
                    "user", "add", "ann", "--role", "approver").code()).isZero();
            s.accountingStart(server);
            s.spam(3);
            String desk = "http://" + WebDeskEndToEndTest.desk(server);

            ChromeOptions options = new ChromeOptions();
            options.setBinary(WebDeskEndToEndTest.CHROMIUM.toString());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1280,2000",
                    "--user-data-dir=" + tmp.resolve("chromium"));
            browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(WebDeskEndToEndTest.CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build(), options);
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));

            browser.get(desk + "/review");
            assertThat(browser.getCurrentUrl()).isEqualTo(desk + "/login");
            browser.findElement(By.id("name")).sendKeys("ann");
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.id("login")).click();

            // Find her hits by facet, open one, and see the origin hop in its Received timeline.
            String[] found = {""};
            for (int i = 0; i < 100 && !found[0].startsWith("3 trap hits"); i++) {
                browser.get(desk + "/search");
                found[0] = browser.findElement(By.id("total")).getText();
                if (!found[0].startsWith("3 trap hits")) {
                    Thread.sleep(100);
                }
            }
            assertThat(found[0]).as("the 3 hits searchable").startsWith("3 trap hits");
            browser.findElement(By.cssSelector("#facet-subscriber a")).click();
            assertThat(browser.findElement(By.id("q")).getAttribute("value")).startsWith("subscriber:");
            assertThat(browser.findElement(By.id("total")).getText()).startsWith("3 trap hits");
            browser.findElement(By.cssSelector("#hits .subject")).click();
            assertThat(browser.findElement(By.id("origin-hop")).getText()).contains("10.0.9.77");

            WebElement fence = null;
            for (int i = 0; i < 100 && fence == null; i++) {
                browser.get(desk + "/review");
                fence = browser.findElements(By.cssSelector("#queue tr[id^=action-]")).stream().filter(r -> r.getText().contains("FENCE"))
                        .findFirst().orElse(null);
                if (fence == null) {
                    Thread.sleep(100);
                }
            }
            assertThat(fence).as("the fence waiting for review").isNotNull();
            assertThat(fence.getText()).contains(ALICE).contains("hits this week").contains("10.0.9.77").contains("MATCHED");
            assertThat(browser.findElement(By.id("brake-state")).getText()).startsWith("Off");
            WebDeskEndToEndTest.shot(browser, screens, "5-review");
            assertThat(nas.output()).doesNotContain("smtp-block");
            fence.findElement(By.name("reason")).sendKeys("three spam runs from her zombie this morning");
            fence.findElement(By.cssSelector("button[value=confirm]")).click();
            assertThat(nas.awaitOutput(o -> o.contains("smtp-block"), Duration.ofSeconds(20))).as("the fence CoA at the NAS").isTrue();
            assertThat(browser.findElements(By.cssSelector("#queue tr[id^=action-]"))).isEmpty();

            browser.get(desk + "/cases/" + ALICE);
            assertThat(browser.findElement(By.id("hits-chart")).findElements(By.cssSelector("rect.bar"))).hasSize(1);
            String actions = browser.findElement(By.id("actions")).getText();
            assertThat(actions).contains("FENCE").contains("DONE").contains("ACK");
            assertThat(browser.findElement(By.id("strikes")).getText()).contains("strike 1 of").contains("FENCE: DONE");
            assertThat(browser.findElement(By.id("sessions")).getText()).contains("S-42").contains("10.0.9.77");
            WebDeskEndToEndTest.shot(browser, screens, "6-case");

            WebElement unblock = browser.findElement(By.id("unblock-form"));
            unblock.findElement(By.name("reason")).sendKeys("customer cleaned the machine");
            unblock.findElement(By.tagName("button")).click();
            assertThat(nas.awaitOutput(o -> o.contains("Filter-Id = \"default\""), Duration.ofSeconds(20)))
                    .as("the restoring CoA at the NAS").isTrue();
            assertThat(browser.getCurrentUrl()).isEqualTo(desk + "/cases/" + ALICE.replace("@", "%40"));
            assertThat(browser.findElement(By.id("actions")).getText()).contains("RESTORE");
            assertThat(browser.findElements(By.id("unblock-form"))).as("no longer blocked").isEmpty();
            WebDeskEndToEndTest.shot(browser, screens, "7-case-unblocked");

            // Every step is in the staff audit, in her name, and the chain holds.
            browser.get(desk + "/audit?verify=1");
            assertThat(browser.findElement(By.id("chain")).getText()).startsWith("chain intact");
            String audit = browser.findElement(By.id("audit")).getText();
            assertThat(audit).contains("login").contains("confirm").contains("three spam runs from her zombie this morning")
                    .contains("unblock").contains("customer cleaned the machine").contains("ann");
            WebDeskEndToEndTest.shot(browser, screens, "8-audit");
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    @Test
    void throughTheRelayFailedLoginsCountPerBrowserAddress() throws Exception {
        TestInstance t = new TestInstance(tmp);
        try (TraplineServer server = t.start(TestInstance.freePort());
             DeskRelay relay = DeskRelay.start(new DeskSettings("127.0.0.1", 0, false), t.conf, t.data)) {
            assertThat(Cli.withStdin(PASSWORD + "\n", "--conf", t.conf.toString(), "--data", t.data.toString(),
                    "user", "add", "ann", "--role", "viewer").code()).isZero();
            int port = Integer.parseInt(relay.address().substring(relay.address().lastIndexOf(':') + 1));
            for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
                assertThat(login(port, "127.0.0.2", "nobody" + i, "a wrong passphrase")).isEqualTo(401);
            }
            assertThat(login(port, "127.0.0.2", "ann", PASSWORD)).as("that browser is throttled").isEqualTo(429);
            assertThat(login(port, "127.0.0.3", "ann", PASSWORD)).as("another browser behind the same relay is not").isEqualTo(200);
        }
    }

    /** A JSON login through the relay from a socket bound to {@code from}, as a browser on that address; the status code. */
    static int login(int port, String from, String name, String password) throws IOException {
        byte[] body = ("{\"name\": \"" + name + "\", \"password\": \"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
        }
    }
}
