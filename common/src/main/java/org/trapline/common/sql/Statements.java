package org.trapline.common.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The named SQL statements of one store in one dialect, read from the resource
 * {@code sql/<store>/<dialect>.sql}: each statement follows a line {@code -- name: NAME} and runs to the
 * next such line; other comment lines are dropped and a trailing semicolon is cut. A name the code asks
 * for and the file lacks is a programming error, reported with the file's name.
 */
public final class Statements {
    private static final String NAME = "-- name:";

    private final String resource;
    private final Map<String, String> byName;

    private Statements(String resource, Map<String, String> byName) {
        this.resource = resource;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The statements of {@code store} in {@code dialect}, from the class path of {@code owner}'s module. */
    public static Statements load(Class<?> owner, String store, Dialect dialect) {
        String resource = "sql/" + store + "/" + dialect.resourceName() + ".sql";
        try (InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path of " + owner.getName());
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static Statements parse(String resource, String text) {
        Map<String, String> byName = new LinkedHashMap<>();
        String name = null;
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith(NAME)) {
                put(resource, byName, name, sql);
                name = trimmed.substring(NAME.length()).strip();
                sql.setLength(0);
            } else if (!trimmed.startsWith("--") && name != null) {
                sql.append(line).append('\n');
            }
        }
        put(resource, byName, name, sql);
        return new Statements(resource, byName);
    }

    private static void put(String resource, Map<String, String> byName, String name, StringBuilder sql) {
        if (name == null) {
            return;
        }
        String statement = sql.toString().strip();
        if (statement.endsWith(";")) {
            statement = statement.substring(0, statement.length() - 1).strip();
        }
        if (statement.isEmpty() || byName.putIfAbsent(name, statement) != null) {
            throw new IllegalStateException(resource + ": statement " + name + " is " + (statement.isEmpty() ? "empty" : "named twice"));
        }
    }

    /** The statement named {@code name}. */
    public String get(String name) {
        String sql = byName.get(name);
        if (sql == null) {
            throw new NoSuchElementException(resource + " has no statement named " + name);
        }
        return sql;
    }

    /** The names, in file order. */
    public Iterable<String> names() {
        return byName.keySet();
    }
}
