package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyDatabaseTest {

    static final Instant T0 = Instant.parse("2026-03-03T03:00:00Z");
    /** Flyway's checksums of the migrations as released in db/policy/, before they moved to db/policy/h2/. */
    static final Map<String, Integer> RELEASED = Map.of("1", 221351527, "2", 563416276);

    @TempDir
    Path data;

    @Test
    void aDatabaseMigratedWhenTheMigrationsLayInDbPolicyStillOpens() throws Exception {
        Path old = Files.createDirectories(data.resolve("old-release/db/policy"));
        for (String name : List.of("V1__policy.sql", "V2__action_brake.sql")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/policy/h2/" + name)) {
                Files.copy(in, old.resolve(name));
            }
        }
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("policy");
        Flyway.configure().dataSource(url, "sa", "").locations("filesystem:" + old).load().migrate();
        Jdbi released = Jdbi.create(url, "sa", "");
        released.useHandle(h -> {
            h.execute("INSERT INTO subscriber_strikes (subscriber, strikes, decay_from_ms, last_strike_ms, blocked_until_ms, updated_ms) "
                    + "VALUES ('alice', 2, ?, ?, ?, ?)", T0.toEpochMilli(), T0.toEpochMilli(), T0.plusSeconds(3600).toEpochMilli(),
                    T0.toEpochMilli());
            h.execute("INSERT INTO enforcement_action (type, subscriber, target, mode, state, rule, actor, created_ms) "
                    + "VALUES ('FENCE', 'alice', 'nas=10.255.0.1 session=alice-s user=alice', 'REVIEW', 'PENDING_REVIEW', 'strike 2', 'rule', ?)",
                    T0.toEpochMilli());
        });
        Map<String, Integer> checksums = released.withHandle(h -> h.createQuery(
                        "SELECT \"version\", \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(checksums).isEqualTo(RELEASED);

        try (PolicyDatabase database = PolicyDatabase.open(data)) {
            Enforcer e = new Enforcer(PolicySettings.from(new Properties()), database.jdbi(), c -> { throw new AssertionError(); },
                    n -> "", s -> Optional.empty(), new TestClock(T0));
            assertThat(e.status("alice")).hasValueSatisfying(s -> {
                assertThat(s.strikes()).isEqualTo(2);
                assertThat(s.blockedUntil()).isEqualTo(T0.plusSeconds(3600));
            });
            assertThat(e.journal().list(true)).singleElement().satisfies(a -> assertThat(a.rule()).isEqualTo("strike 2"));
            assertThat(e.unblock("alice", new StaffAct("erin", "test", null))).hasValueSatisfying(lifted -> assertThat(lifted).isEmpty());
            assertThat(e.journal().list(true)).isEmpty();
        }
    }
}
