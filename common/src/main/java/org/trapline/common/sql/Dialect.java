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
    H2;

    /** The name in resource paths. */
    public String resourceName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Where the migrations of {@code store} in this dialect are, as Flyway takes a location. */
    public String migrations(String store) {
        return "classpath:db/" + store + "/" + resourceName();
    }
}
