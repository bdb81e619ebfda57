package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** {@code trapline run} refuses to start on operator mistakes with exit 2 and one line saying what to fix. */
class StartupFailureTest {
    @TempDir
    Path tmp;

    record Outcome(int code, String err) {
    }

    Outcome run(String... args) {
        Cli r = Cli.run(args);
        return new Outcome(r.code(), r.err());
    }

    @Test
    void portInUse() throws Exception {
        TestInstance t = new TestInstance(tmp);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run",
                    "--smtp-bind", "127.0.0.1:" + busy.getLocalPort());
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.err()).startsWith("trapline: cannot listen on 127.0.0.1:" + busy.getLocalPort())
                    .contains("--smtp-bind").hasLineCount(1);
        }
    }

    @Test
    void badSmtpBind() {
        TestInstance t = new TestInstance(tmp);
        Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run", "--smtp-bind", "localhost");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--smtp-bind: expected HOST:PORT").hasLineCount(1);
    }

    @Test
    void noTrapDomains() {
        TestInstance t = new TestInstance(tmp).set("trap.domains", "");
        Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run", "--smtp-bind", "127.0.0.1:" + TestInstance.freePort());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("trap.domains is empty").hasLineCount(1);
    }

    @Test
    void malformedNumber() {
        TestInstance t = new TestInstance(tmp).set("smtp.max-message-size", "ten megabytes");
        Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run", "--smtp-bind", "127.0.0.1:" + TestInstance.freePort());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("smtp.max-message-size must be a whole number").hasLineCount(1);
    }

    @Test
    void pipelinePriorityOutsideTheLinuxRange() {
        TestInstance t = new TestInstance(tmp).set("pipeline.priority", "25");
        Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run", "--smtp-bind", "127.0.0.1:" + TestInstance.freePort());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("pipeline.priority must be idle, a nice value from 1 to 19, or off; not 25").hasLineCount(1);
    }

    @Test
    void theOldPipelineNiceSettingIsNamedNotIgnored() {
        TestInstance t = new TestInstance(tmp).set("pipeline.nice", "19");
        Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run", "--smtp-bind", "127.0.0.1:" + TestInstance.freePort());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("pipeline.nice is now pipeline.priority").hasLineCount(1);
    }

    @Test
    void unwritableDataDirectory() throws Exception {
        TestInstance t = new TestInstance(tmp);
        Path aFile = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Outcome o = run("--conf", t.conf.toString(), "--data", aFile.resolve("data").toString(), "run",
                "--smtp-bind", "127.0.0.1:" + TestInstance.freePort());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("is not writable").contains("--data").hasLineCount(1);
    }

    @Test
    void missingConfDirectory() {
        Outcome o = run("--conf", tmp.resolve("nowhere").toString(), "--data", tmp.resolve("d").toString(), "run");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("no trapline.properties").contains("--conf").hasLineCount(1);
    }

    @Test
    void brokenJamesXml() throws Exception {
        TestInstance t = new TestInstance(tmp);
        Files.writeString(t.conf.resolve("smtpserver.xml"), "<smtpservers><smtpserver>");
        Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run", "--smtp-bind", "127.0.0.1:" + TestInstance.freePort(),
                "--radius-bind", "127.0.0.1:0");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("James failed to start").hasLineCount(1);
    }

    @Test
    void secondServerOnTheSameDataDirectory() throws Exception {
        TestInstance t = new TestInstance(tmp);
        try (TraplineServer first = t.start(TestInstance.freePort())) {
            Outcome o = run("--conf", t.conf.toString(), "--data", t.data.toString(), "run",
                    "--smtp-bind", "127.0.0.1:" + TestInstance.freePort(), "--radius-bind", "127.0.0.1:0");
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.err()).contains("is in use by another Trapline process").hasLineCount(1);
        }
    }
}
