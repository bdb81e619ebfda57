package org.trapline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mistakes in a conf directory stop every command with one line that names the key and the fix, and
 * {@code check} finds them without starting anything.
 */
class ConfigurationTest {
    @TempDir
    Path tmp;


    @ParameterizedTest
    @ValueSource(strings = {"check", "run", "search", "who 192.0.2.1"})
    void aMisspelledKeyStopsEveryCommandNamingTheNearestKnownOne(String command) throws Exception {
        TestInstance t = new TestInstance(tmp).onFreePorts().set("smtp.max-messsage-size", "100");
        Files.createDirectories(t.data);
        Cli r = t.cli(command.split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown setting smtp.max-messsage-size (did you mean smtp.max-message-size?)").hasLineCount(1);
    }

    @Test
    void aSecretWrittenIntoTheSettingsFileIsRefusedWithTheFix() {
        TestInstance t = new TestInstance(tmp).onFreePorts().set("coa.secret", "hunter2");
        Cli r = t.cli("check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("coa.secret holds a secret in the settings file", "coa.secret-file=FILE")
                .doesNotContain("hunter2").hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--"})
    void aSecretFileOthersCanReadIsRefusedWithTheChmodThatFixesIt(String mode) throws Exception {
        TestInstance t = new TestInstance(tmp).onFreePorts().secret("coa.secret", "hunter2");
        Path file = t.conf.resolve("coa.secret.secret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        Cli r = t.cli("check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(file.toString(), "chmod 600 " + file).doesNotContain("hunter2").hasLineCount(1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(t.cli("check").code()).isZero();
    }

    @Test
    void theLoopbackRadiusSecretIsMadePrivateAndRandomAtTheFirstCheckOrStart() throws Exception {
        TestInstance t = new TestInstance(tmp).onFreePorts();
        assertThat(t.radiusSecretFile()).doesNotExist();
        Cli r = t.cli("check");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.radiusSecretFile()))).isEqualTo("rw-------");
        String secret = Files.readString(t.radiusSecretFile()).strip();
        assertThat(secret).hasSize(32).isNotEqualTo("testing123");
        assertThat(r.out()).doesNotContain(secret);
        TestInstance other = new TestInstance(tmp.resolve("other")).onFreePorts();
        other.cli("check");
        assertThat(Files.readString(other.radiusSecretFile()).strip()).isNotEqualTo(secret);
    }

    @Test
    void aMissingSecretFileOfARealNasStopsTheStart() {
        TestInstance t = new TestInstance(tmp).onFreePorts().set("attribution.radius.client.192.0.2.0/24.secret-file", "nas.secret");
        Cli r = t.cli("check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("attribution.radius.client.192.0.2.0/24.secret-file", "nas.secret").hasLineCount(1);
        assertThat(t.conf.resolve("nas.secret")).doesNotExist();
    }

    @Test
    void aBadPolicyValueIsNamedWithItsValueNotAsADatabaseThatWouldNotOpen() {
        TestInstance t = new TestInstance(tmp).onFreePorts().set("strike.window", "an hour");
        Cli check = t.cli("check");
        Cli run = t.cli("run", "--smtp-bind", "127.0.0.1:" + TestInstance.freePort(), "--radius-bind", "127.0.0.1:0");
        for (Cli r : new Cli[] {check, run}) {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("strike.window", "an hour").doesNotContain("cannot open").hasLineCount(1);
        }
    }

    @Test
    void theDataDirectoryComesFromTheConfAndAReadCommandNeverMakesOne() throws Exception {
        TestInstance t = new TestInstance(tmp).onFreePorts().set("data.dir", "../elsewhere");
        Cli r = Cli.run("--conf", t.conf.toString(), "search", "pills");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no data directory " + tmp.resolve("elsewhere"), "data.dir").hasLineCount(1);
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
        assertThat(Cli.run("--conf", t.conf.toString(), "actions").code()).isEqualTo(2);
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void checkPassesOnTheShippedConfAndSaysWhatItChecked() {
        TestInstance t = new TestInstance(tmp).onFreePorts();
        Cli r = t.cli("check");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("every key known", "RADIUS accounting", "James's XML files", "ports");
    }

    @Test
    void checkFindsAPortInUse() throws Exception {
        int port = TestInstance.freePort();
        TestInstance t = new TestInstance(tmp).onFreePorts().set("smtp.bind", "127.0.0.1:" + port);
        try (java.net.ServerSocket busy = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli r = t.cli("check");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + port).hasLineCount(1);
        }
    }
}
