package org.trapline.common.sql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Where every store keeps its tables, decided once from {@code trapline.properties}: without
 * {@value #URL}, H2 files under the data directory, each store opening its own; with
 * {@code store.url=jdbc:postgresql://HOST:PORT/DB}, {@value #USER} and {@code store.password-file} (read
 * into {@value #PASSWORD} by the server's secret files), one PostgreSQL database in which each store keeps
 * its tables, and its Flyway history, in a schema named after it ({@link #pool}, {@link Migrations}), so
 * that the stores' migrations never meet.
 *
 * <p>The password is only ever handed to the driver: it is not part of the URL, of {@link #toString()} or
 * of any message here, and the pool logs its settings with the password masked.
 *
 * @param dialect  {@link Dialect#H2} for the embedded files, else the database's
 * @param url      the JDBC URL of the shared database; null for H2
 * @param user     the database user; null for H2
 * @param password asked for each time the pool logs in; null for H2
 */
public record StoreSettings(Dialect dialect, String url, String user, Supplier<String> password) {
    public static final String URL = "store.url";
    public static final String USER = "store.user";
    /** Where the secret files put the password of {@code store.password-file}; never written in the settings file. */
    public static final String PASSWORD = "store.password";
    private static final String POSTGRESQL_URL = "jdbc:postgresql://";

    public StoreSettings {
        Objects.requireNonNull(dialect, "dialect");
        if (dialect != Dialect.H2) {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }
    }

    /** The embedded default: H2 files under the data directory. */
    public static StoreSettings h2() {
        return new StoreSettings(Dialect.H2, null, null, null);
    }

    /** One PostgreSQL database for every store. */
    public static StoreSettings postgresql(String url, String user, Supplier<String> password) {
        return new StoreSettings(Dialect.POSTGRESQL, url, user, password);
    }

    /**
     * The stores' database of these settings.
     *
     * @throws IllegalArgumentException a {@value #URL} that is not PostgreSQL's, or one without
     *                                  {@value #USER} or {@code store.password-file}; the message names the key
     */
    public static StoreSettings from(Properties p) {
        String url = p.getProperty(URL, "").strip();
        if (url.isEmpty()) {
            return h2();
        }
        if (!url.startsWith(POSTGRESQL_URL) || url.length() == POSTGRESQL_URL.length()) {
            throw new IllegalArgumentException(URL + " must be jdbc:postgresql://HOST:PORT/DATABASE (PostgreSQL 15 or newer), not '"
                    + url + "'; leave it out for the embedded H2 files under the data directory");
        }
        if (url.contains("password=")) {
            throw new IllegalArgumentException(URL + " holds a password; write it to a file only Trapline can read (chmod 600) and set "
                    + PASSWORD + "-file=FILE instead");
        }
        String user = p.getProperty(USER, "").strip();
        if (user.isEmpty()) {
            throw new IllegalArgumentException(USER + " must name the database user when " + URL + " is set");
        }
        if (p.getProperty(PASSWORD) == null) {
            throw new IllegalArgumentException(PASSWORD + "-file must name a file holding the database password when " + URL + " is set");
        }
        return postgresql(url, user, () -> p.getProperty(PASSWORD));
    }

    public boolean embedded() {
        return dialect == Dialect.H2;
    }

    /**
     * A pool of connections to the shared database whose schema is {@code store}'s.
     *
     * @param sessionSettings PostgreSQL settings each connection starts with (for example {@code lock_timeout})
     */
    public HikariDataSource pool(String store, int maxConnections, Map<String, String> sessionSettings) {
        if (embedded()) {
            throw new IllegalStateException("the embedded stores open their own H2 files");
        }
        HikariConfig c = new HikariConfig();
        c.setPoolName("trapline-" + store);
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password.get());
        c.setSchema(store);
        c.setMaximumPoolSize(maxConnections);
        c.setMinimumIdle(Math.min(2, maxConnections));
        // The stores bind addresses and other typed values as text; the server gives them their column's type.
        c.addDataSourceProperty("stringtype", "unspecified");
        c.addDataSourceProperty("ApplicationName", "trapline " + store);
        if (!sessionSettings.isEmpty()) {
            c.addDataSourceProperty("options", sessionSettings.entrySet().stream()
                    .map(e -> "-c " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }
        // Fail the start at once with the database's own reason (a wrong password, no such database).
        c.setInitializationFailTimeout(1);
        return new HikariDataSource(c);
    }

    /**
     * Logs in to the shared database once, as the stores will.
     *
     * @return the URL, user and server version, for a person to read
     * @throws IllegalStateException with the database's reason on one line (a wrong password, no such
     *                               database, nothing listening), never the password
     */
    public String reachable() {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password.get());
        login.setProperty("connectTimeout", "10");
        try (Connection c = DriverManager.getConnection(url, login)) {
            DatabaseMetaData about = c.getMetaData();
            return url + " as " + user + " (" + about.getDatabaseProductName() + " " + about.getDatabaseProductVersion() + ")";
        } catch (SQLException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
            throw new IllegalStateException("cannot log in to " + url + " as " + user + ": " + reason, e);
        }
    }

    /** Without the password. */
    @Override
    public String toString() {
        return embedded() ? "H2 under the data directory" : dialect + " " + url + " as " + user;
    }
}
