package org.trapline.desk.casebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.TestStores;
import org.trapline.desk.AuditAct;
import org.trapline.desk.view.AuditCheck;
import org.trapline.desk.view.AuditEntry;
import org.trapline.enforcement.StaffAct;

/**
 * The staff audit's hash chain: appended in order under a lock, and a changed or removed entry is named. Runs
 * once per dialect of the casebook, on the real database of each (TestStores).
 */
@ParameterizedClass
@MethodSource("org.trapline.common.sql.TestStores#dialects")
class CasebookTest {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final StaffAct ANNA = new StaffAct("anna", "192.0.2.80", "");

    @Parameter
    Dialect dialect;
    @TempDir
    Path data;
    StoreSettings where;
    Casebook book;

    @BeforeEach
    void open() {
        where = TestStores.settings(dialect, "casebook");
        book = Casebook.open(data, where);
    }

    @AfterEach
    void close() {
        book.close();
    }

    /** A statement run straight on the store's database, as someone with the database's password could. */
    void sql(String statement) throws SQLException {
        try (Connection c = where.embedded()
                ? DriverManager.getConnection("jdbc:h2:file:" + data.resolve(Casebook.FILE), "sa", "")
                : DriverManager.getConnection(where.url(), where.user(), where.password().get());
             Statement s = c.createStatement()) {
            if (!where.embedded()) {
                s.execute("SET search_path TO " + Casebook.FILE);
            }
            s.executeUpdate(statement);
        }
    }

    List<AuditEntry> fiveActs() {
        List<AuditEntry> out = new ArrayList<>();
        out.add(book.record(ANNA, AuditAct.LOGIN, null, null, T0));
        out.add(book.record(ANNA, AuditAct.RAW_VIEW, "hit:7", null, T0.plusSeconds(1)));
        out.add(book.record(new StaffAct("anna", "192.0.2.80", "15 hits this week"), AuditAct.CONFIRM, "action:3",
                "15 hits this week", T0.plusSeconds(2)));
        out.add(book.record(ANNA, AuditAct.LOGOUT, null, null, T0.plusSeconds(3)));
        out.add(book.record(new StaffAct("mallory", "198.51.100.9", ""), AuditAct.LOGIN_FAILED, "user:mallory", null, T0.plusSeconds(4)));
        return out;
    }

    @Test
    void eachEntryCarriesTheHashOfTheOneBefore() {
        List<AuditEntry> e = fiveActs();
        assertThat(e).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(e.get(0).prevHash()).isEqualTo(AuditChain.GENESIS);
        for (int i = 1; i < e.size(); i++) {
            assertThat(e.get(i).prevHash()).isEqualTo(e.get(i - 1).hash());
        }
        // The hash is redone from the fields alone, as an offline check of an export does.
        AuditEntry confirm = e.get(2);
        assertThat(confirm.hash()).matches("[0-9a-f]{64}").isEqualTo(AuditChain.hash(e.get(1).hash(), 3, T0.plusSeconds(2).toEpochMilli(),
                "anna", "192.0.2.80", "confirm", "action:3", "15 hits this week"));
        assertThat(book.newest(null, 10)).extracting(AuditEntry::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(book.newest(T0.plusSeconds(3), 10)).extracting(AuditEntry::act).containsExactly("login-failed", "logout");
        assertThat(book.after(3, 10)).extracting(AuditEntry::seq).containsExactly(4L, 5L);
        AuditCheck check = book.verify();
        assertThat(check.intact()).isTrue();
        assertThat(check.text()).isEqualTo("chain intact, 5 entries");
    }

    @Test
    void anEmptyAuditIsIntact() {
        assertThat(book.verify().text()).isEqualTo("chain intact, 0 entries");
    }

    @Test
    void aChangedEntryBreaksTheChainThere() throws Exception {
        fiveActs();
        sql("UPDATE staff_audit SET detail = 'customer asked nicely' WHERE seq = 3");
        AuditCheck check = book.verify();
        assertThat(check.intact()).isFalse();
        assertThat(check.brokenAt()).isEqualTo(3);
        assertThat(check.entries()).isEqualTo(2);
        assertThat(check.text()).startsWith("chain broken at entry 3: ").contains("changed");
    }

    @Test
    void anEntryChangedWithANewHashBreaksTheChainAtTheNext() throws Exception {
        List<AuditEntry> e = fiveActs();
        String forged = AuditChain.hash(e.get(1).hash(), 3, T0.plusSeconds(2).toEpochMilli(), "bob", "192.0.2.80", "confirm",
                "action:3", "15 hits this week");
        sql("UPDATE staff_audit SET staff = 'bob', hash = '" + forged + "' WHERE seq = 3");
        assertThat(book.verify().brokenAt()).isEqualTo(4);
    }

    @Test
    void aRemovedEntryIsNamed() throws Exception {
        fiveActs();
        sql("DELETE FROM staff_audit WHERE seq = 2");
        AuditCheck check = book.verify();
        assertThat(check.brokenAt()).isEqualTo(2);
        assertThat(check.problem()).contains("entry 2 is missing");
    }

    @Test
    void theLastEntryRemovedStillShows() throws Exception {
        fiveActs();
        sql("DELETE FROM staff_audit WHERE seq = 5");
        AuditCheck check = book.verify();
        assertThat(check.brokenAt()).isEqualTo(5);
        assertThat(check.problem()).contains("head is entry 5");
    }

    @Test
    void appendsOfManyThreadsMakeOneChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) book.record(ANNA, AuditAct.NOTE, "subscriber:s" + thread, "note " + i, T0);
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        assertThat(book.verify().text()).isEqualTo("chain intact, 200 entries");
    }

    @Test
    void theChainSurvivesManyPagesOfVerification() {
        for (int i = 0; i < 2_500; i++) book.record(ANNA, AuditAct.RAW_VIEW, "hit:" + i, null, T0.plusMillis(i));
        assertThat(book.verify().text()).isEqualTo("chain intact, 2500 entries");
    }
}
