package org.trapline.common.sql;

import java.util.Locale;

/**
 * An SQL dialect a store speaks. A store's statements and migrations are resources of its own per
 * dialect, as FreeRADIUS keeps {@code mods-config/sql/main/<dialect>/}: {@code sql/<store>/<dialect>.sql}
 * (named statements, see {@link Statements}) and {@code db/<store>/<dialect>/} (Flyway migrations). Code
 * that runs a statement names it and never holds dialect SQL; a second dialect is a matter of adding its
 * resources (and, where a dialect does a thing its own way, a method of the store's dialect class).
 */
public enum Dialect {
    /** Embedded files under the data directory, the default. */
    H2,
    /** One PostgreSQL 15+ database shared by every store, each in a schema of its own ({@link StoreSettings}). */
    POSTGRESQL;

    /** The name in resource paths. */
    public String resourceName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dialect of a database, by the product name its JDBC driver reports. */
    public static Dialect of(String databaseProductName) {
        return switch (databaseProductName) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRESQL;
            default -> throw new IllegalArgumentException("no Trapline dialect for a " + databaseProductName + " database");
        };
    }

    /** Where the migrations of {@code store} in this dialect are, as Flyway takes a location. */
    public String migrations(String store) {
        return "classpath:db/" + store + "/" + resourceName();
    }
}
