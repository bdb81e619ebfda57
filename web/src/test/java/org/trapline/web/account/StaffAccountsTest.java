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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.TestStores;

import org.trapline.desk.Desk;
import org.trapline.desk.casebook.Casebook;

import picocli.CommandLine;

/**
 * Staff accounts: kept as bcrypt only, found by name and password, added by a command that never takes a
 * password in argv. Runs once per dialect of the users store, on the real database of each (TestStores).
 */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class StaffAccountsTest {
    @Parameter
    Dialect dialect;
    @TempDir
    Path data;
    StoreSettings where;

    @BeforeEach
    void where() {
        where = TestStores.settings(dialect, "users");
    }

    StaffAccounts open() {
        return StaffAccounts.open(data, where, new PasswordHash(4), Clock.systemUTC());
    }

    /** Everything the store keeps, as text: H2's file, or PostgreSQL's rows. */
    String stored() throws Exception {
        if (where.embedded()) {
            return new String(Files.readAllBytes(data.resolve(StaffAccounts.FILE + ".mv.db")), StandardCharsets.ISO_8859_1);
        }
        try (var c = java.sql.DriverManager.getConnection(where.url(), where.user(), where.password().get());
             var rs = c.createStatement().executeQuery("SELECT string_agg(a::text, ' ') FROM users.staff_account a")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aPasswordIsKeptAsBcryptAndChecked() throws Exception {
        try (StaffAccounts staff = open()) {
            staff.add("ann", Role.APPROVER, "a long passphrase".toCharArray());
            assertThat(staff.verify("ann", "a long passphrase".toCharArray())).contains(new StaffAccount("ann", Role.APPROVER));
            assertThat(staff.verify("ann", "a long passphrasE".toCharArray())).isEmpty();
            assertThat(staff.verify("bob", "a long passphrase".toCharArray())).isEmpty();
            assertThatThrownBy(() -> staff.add("ann", Role.VIEWER, "another passphrase".toCharArray())).hasMessageContaining("exists");
            assertThatThrownBy(() -> staff.add("Ann Smith", Role.VIEWER, "another passphrase".toCharArray())).hasMessageContaining("name");
            assertThatThrownBy(() -> staff.add("cid", Role.VIEWER, "short".toCharArray())).hasMessageContaining("12 characters");
        }
        assertThat(stored()).doesNotContain("a long passphrase").contains("$2b$04$");
        try (StaffAccounts reopened = open()) {
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
        try (StaffAccounts staff = open()) {
            try (Casebook casebook = Casebook.inMemory("useradd-audit" + System.nanoTime())) {
                assertThat(run(staff, casebook, "from stdin pass\n", "user", "add", "ann", "--role", "analyst")).isZero();
                assertThat(casebook.newest(null, 10)).singleElement().satisfies(e -> {
                    assertThat(e.act()).isEqualTo("user-add");
                    assertThat(e.subject()).isEqualTo("user:ann");
                    assertThat(e.detail()).isEqualTo("analyst");
                    assertThat(e.from()).startsWith("cli:");
                });
                assertThat(run(staff, casebook, "from stdin pass\n", "user", "add", "ann", "--role", "analyst")).as("taken").isEqualTo(2);
                assertThat(casebook.newest(null, 10)).as("nothing added, nothing audited").hasSize(1);
            }
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
        try (Casebook casebook = Casebook.inMemory("useradd-audit" + System.nanoTime())) {
            return run(staff, casebook, stdin, args);
        }
    }

    /** A desk that has only its casebook: adding a staff member touches no evidence and no policy. */
    static Desk auditOnly(Casebook casebook) {
        return new Desk(() -> {
            throw new AssertionError("user add must not open the evidence");
        }, () -> {
            throw new AssertionError("user add must not open the policy database");
        }, () -> casebook, Clock.systemUTC());
    }

    static int run(StaffAccounts staff, Casebook casebook, String stdin, String... args) {
        CommandLine cl = new CommandLine(new UserCommand(() -> staff, () -> auditOnly(casebook),
                () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
