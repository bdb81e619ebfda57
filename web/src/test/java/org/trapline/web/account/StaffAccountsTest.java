package org.trapline.web.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** Staff accounts: kept as bcrypt only, found by name and password, added by a command that never takes a password in argv. */
class StaffAccountsTest {
    @TempDir
    Path data;

    @Test
    void aPasswordIsKeptAsBcryptAndChecked() throws Exception {
        try (StaffAccounts staff = StaffAccounts.open(data, new PasswordHash(4), Clock.systemUTC())) {
            staff.add("ann", Role.APPROVER, "a long passphrase".toCharArray());
            assertThat(staff.verify("ann", "a long passphrase".toCharArray())).contains(new StaffAccount("ann", Role.APPROVER));
            assertThat(staff.verify("ann", "a long passphrasE".toCharArray())).isEmpty();
            assertThat(staff.verify("bob", "a long passphrase".toCharArray())).isEmpty();
            assertThatThrownBy(() -> staff.add("ann", Role.VIEWER, "another passphrase".toCharArray())).hasMessageContaining("exists");
            assertThatThrownBy(() -> staff.add("Ann Smith", Role.VIEWER, "another passphrase".toCharArray())).hasMessageContaining("name");
            assertThatThrownBy(() -> staff.add("cid", Role.VIEWER, "short".toCharArray())).hasMessageContaining("12 characters");
        }
        byte[] file = Files.readAllBytes(data.resolve(StaffAccounts.FILE + ".mv.db"));
        String text = new String(file, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("a long passphrase").contains("$2b$04$");
        try (StaffAccounts reopened = StaffAccounts.open(data, new PasswordHash(4), Clock.systemUTC())) {
            assertThat(reopened.list()).containsExactly(new StaffAccount("ann", Role.APPROVER));
        }
    }

    @Test
    void rolesIncludeTheOnesBelow() {
        assertThat(Role.ADMIN.allows(Role.APPROVER)).isTrue();
        assertThat(Role.ANALYST.allows(Role.VIEWER)).isTrue();
        assertThat(Role.ANALYST.allows(Role.APPROVER)).isFalse();
        assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("viewer, analyst, approver, admin");
    }

    @Test
    void userAddReadsThePasswordFromStdinOrAPrivateFileOnly() throws Exception {
        try (StaffAccounts staff = StaffAccounts.inMemory("useradd" + System.nanoTime(), new PasswordHash(4), Clock.systemUTC())) {
            assertThat(run(staff, "from stdin pass\n", "user", "add", "ann", "--role", "analyst")).isZero();
            assertThat(staff.verify("ann", "from stdin pass".toCharArray())).isPresent();

            Path file = data.resolve("pw");
            Files.writeString(file, "from a file pass\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(run(staff, "", "user", "add", "bob", "--role", "viewer", "--password-file", file.toString())).isEqualTo(2);
            assertThat(staff.find("bob")).isEmpty();
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            assertThat(run(staff, "", "user", "add", "bob", "--role", "viewer", "--password-file", file.toString())).isZero();
            assertThat(staff.verify("bob", "from a file pass".toCharArray())).isPresent();

            assertThat(run(staff, "x\n", "user", "add", "cid", "--role", "root")).isEqualTo(2);
            assertThat(run(staff, "", "user", "add", "cid", "--role", "viewer")).isEqualTo(2);
            assertThat(run(staff, "pw", "user", "add", "cid", "--role", "viewer", "--password", "pw")).isEqualTo(2);
        }
    }

    static int run(StaffAccounts staff, String stdin, String... args) {
        CommandLine cl = new CommandLine(new UserCommand(() -> staff, () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
