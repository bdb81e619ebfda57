package org.trapline.common.sql;

import java.util.stream.Stream;

/**
 * The store tests' dialects: every store test class runs once per dialect,
 * {@code @ParameterizedClass @MethodSource("org.trapline.common.sql.TestStores#dialects")}, and asks
 * {@link #settings} for a fresh store of its dialect.
 */
public final class TestStores {
    private TestStores() {
    }

    public static Stream<Dialect> dialects() {
        return Stream.of(Dialect.values());
    }

    /**
     * Where a test's store lives: H2 under its data directory, or a new database of the JVM's test
     * PostgreSQL (the test is skipped, saying why, when PostgreSQL is not installed).
     */
    public static StoreSettings settings(Dialect dialect, String purpose) {
        return switch (dialect) {
            case H2 -> StoreSettings.h2();
            case POSTGRESQL -> TestPostgres.cluster().newStore(purpose);
        };
    }
}
