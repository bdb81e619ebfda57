package org.trapline.common.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

class StoreSettingsTest {

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    @Test
    void withoutAUrlEveryStoreIsH2UnderTheDataDirectory() {
        assertThat(StoreSettings.from(new Properties()).dialect()).isEqualTo(Dialect.H2);
        assertThat(StoreSettings.from(new Properties()).embedded()).isTrue();
    }

    @Test
    void aPostgresqlUrlWithUserAndPasswordSelectsPostgresqlForEveryStore() {
        StoreSettings s = StoreSettings.from(props("store.url", "jdbc:postgresql://db.example:5432/trapline", "store.user", "trap",
                "store.password", "s3cret-Pw"));
        assertThat(s.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(s.user()).isEqualTo("trap");
        assertThat(s.password().get()).isEqualTo("s3cret-Pw");
        assertThat(s.toString()).contains("jdbc:postgresql://db.example:5432/trapline").doesNotContain("s3cret-Pw");
    }

    @Test
    void aBadStoreSettingNamesItsKey() {
        assertThatThrownBy(() -> StoreSettings.from(props("store.url", "jdbc:mysql://db/trapline")))
                .hasMessageStartingWith("store.url must be jdbc:postgresql://");
        assertThatThrownBy(() -> StoreSettings.from(props("store.url", "jdbc:postgresql://db/t", "store.password", "x")))
                .hasMessageStartingWith("store.user ");
        assertThatThrownBy(() -> StoreSettings.from(props("store.url", "jdbc:postgresql://db/t", "store.user", "u")))
                .hasMessageStartingWith("store.password-file ");
        assertThatThrownBy(() -> StoreSettings.from(props("store.url", "jdbc:postgresql://db/t?password=x", "store.user", "u",
                "store.password", "x"))).hasMessageStartingWith("store.url holds a password");
    }

    @Test
    void aPoolLogsInWithThePasswordAndWorksInTheStoresOwnSchema() throws Exception {
        StoreSettings s = TestPostgres.cluster().newStore("pool");
        try (HikariDataSource pool = s.pool("sample", 2, Map.of("lock_timeout", "1234"));
             Connection c = pool.getConnection()) {
            c.createStatement().execute("CREATE SCHEMA sample");
            c.createStatement().execute("CREATE TABLE t (a inet)");
            c.createStatement().execute("SET search_path = public");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT table_schema FROM information_schema.tables WHERE table_name = 't'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("sample");
            }
            try (ResultSet rs = c.createStatement().executeQuery("SHOW lock_timeout")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1234ms");
            }
        }
    }

    @Test
    void aWrongPasswordFailsWithTheDatabasesReasonAndWithoutThePassword() {
        TestPostgres pg = TestPostgres.cluster();
        StoreSettings wrong = StoreSettings.postgresql(pg.url(pg.newDatabase("wrong")), TestPostgres.USER, () -> "not-the-Password-42");
        assertThatThrownBy(() -> wrong.pool("sample", 1, Map.of()).close())
                .satisfies(e -> {
                    String all = messages(e);
                    assertThat(all).contains("password authentication failed").doesNotContain("not-the-Password-42");
                });
    }

    static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) b.append(t).append('\n');
        return b.toString();
    }
}
