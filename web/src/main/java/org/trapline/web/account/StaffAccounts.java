package org.trapline.web.account;

import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.trapline.common.sql.Statements;
import org.trapline.common.sql.StoreSettings;
import org.trapline.common.sql.StorePool;


/**
 * The users store {@code <data>/users}: the staff who may log in to the web desk, each with a role and a
 * bcrypt hash of their password. Opened by whoever owns the data directory, like every other store: H2 in
 * the data directory, or the shared PostgreSQL database of {@code store.url}.
 */
public final class StaffAccounts implements AutoCloseable {
    public static final String FILE = "users";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** Few: logins and the user command, each one short statement. */
    private static final int CONNECTIONS = 4;

    private final StorePool pool;
    private final Jdbi jdbi;
    private final Statements sql;
    private final PasswordHash hashes;
    private final Clock clock;

    private StaffAccounts(StorePool pool, PasswordHash hashes, Clock clock) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool.dataSource());
        this.sql = Statements.load(StaffAccounts.class, FILE, pool.dialect());
        this.hashes = hashes;
        this.clock = clock;
    }

    /** Opens (and creates or migrates) {@code <dataDir>/users.mv.db}. */
    public static StaffAccounts open(Path dataDir, PasswordHash hashes, Clock clock) {
        return open(dataDir, StoreSettings.h2(), hashes, clock);
    }

    /**
     * Opens (and creates or migrates) the users store where {@code store} says: H2 in
     * {@code <dataDir>/users.mv.db}, or the schema {@value #FILE} of the shared PostgreSQL database.
     */
    public static StaffAccounts open(Path dataDir, StoreSettings store, PasswordHash hashes, Clock clock) {
        return new StaffAccounts(StorePool.open(dataDir, store, FILE, CONNECTIONS), hashes, clock);
    }

    /** A store in memory, for tests. */
    public static StaffAccounts inMemory(String name, PasswordHash hashes, Clock clock) {
        return new StaffAccounts(StorePool.inMemory(name, FILE), hashes, clock);
    }

    /**
     * Adds a staff member.
     *
     * @throws IllegalArgumentException for a name that is not lower-case letters, digits, dots, dashes and
     *                                  underscores (at most 64), a weak password, or a name taken already
     */
    public StaffAccount add(String name, Role role, char[] password) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a staff name is 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)");
        }
        String weak = PasswordHash.weakness(new String(password));
        if (weak != null) {
            throw new IllegalArgumentException(weak);
        }
        String hash = hashes.hash(password);
        try {
            jdbi.useHandle(h -> h.createUpdate(sql.get("insert")).bind("name", name).bind("role", role.name()).bind("hash", hash)
                    .bind("createdAt", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).execute());
        } catch (UnableToExecuteStatementException e) {
            if (find(name).isPresent()) {
                throw new IllegalArgumentException("staff member " + name + " exists already");
            }
            throw e;
        }
        return new StaffAccount(name, role);
    }

    /** The staff member of this name, enabled or not. */
    public Optional<StaffAccount> find(String name) {
        return row(name).map(Row::account);
    }

    /** The staff member of this name if they may log in now: known and not disabled. */
    public Optional<StaffAccount> enabled(String name) {
        return row(name).filter(Row::enabled).map(Row::account);
    }

    /**
     * The account whose password this is; empty for a wrong password, an unknown name or a disabled
     * account, which all take as long.
     */
    public Optional<StaffAccount> verify(String name, char[] password) {
        Optional<Row> row = name == null ? Optional.empty() : row(name);
        if (row.isEmpty()) {
            hashes.decoyCheck(password);
            return Optional.empty();
        }
        return hashes.matches(row.get().hash(), password) && row.get().enabled() ? Optional.of(row.get().account()) : Optional.empty();
    }

    /** Every staff member, enabled or not, by name. */
    public List<StaffAccount> list() {
        return members().stream().map(StaffMember::account).toList();
    }

    /** Every staff member with whether they may log in, by name. */
    public List<StaffMember> members() {
        return jdbi.withHandle(h -> h.createQuery(sql.get("list")).map((rs, ctx) -> row(rs)).list()).stream()
                .map(r -> new StaffMember(r.account(), r.enabled())).toList();
    }

    /**
     * Gives a staff member another role.
     *
     * @throws java.util.NoSuchElementException no such staff member
     * @throws IllegalStateException            it would leave no enabled admin
     */
    public StaffMember changeRole(String name, Role role) {
        return changed(name, role != Role.ADMIN, h -> h.createUpdate(sql.get("set_role")).bind("name", name).bind("role", role.name()).execute());
    }

    /**
     * Lets a staff member log in, or stops them; a disabled account's password is refused like a wrong one.
     *
     * @throws java.util.NoSuchElementException no such staff member
     * @throws IllegalStateException            it would leave no enabled admin
     */
    public StaffMember setEnabled(String name, boolean enabled) {
        return changed(name, !enabled, h -> h.createUpdate(sql.get("set_disabled")).bind("name", name)
                .bind("disabledAt", enabled ? null : OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).execute());
    }

    /** Changes one account under the admins' locks, refusing when {@code losesAdmin} and it is the last enabled admin. */
    private StaffMember changed(String name, boolean losesAdmin, java.util.function.Consumer<org.jdbi.v3.core.Handle> change) {
        return jdbi.inTransaction(h -> {
            List<String> admins = h.createQuery(sql.get("lock_admins")).mapTo(String.class).list();
            if (h.createQuery(sql.get("find")).bind("name", name).map((rs, ctx) -> row(rs)).findOne().isEmpty()) {
                throw new java.util.NoSuchElementException("no staff member " + name);
            }
            if (losesAdmin && admins.equals(List.of(name))) {
                throw new IllegalStateException(name + " is the last enabled admin: make another admin first");
            }
            change.accept(h);
            Row after = h.createQuery(sql.get("find")).bind("name", name).map((rs, ctx) -> row(rs)).one();
            return new StaffMember(after.account(), after.enabled());
        });
    }

    private Optional<Row> row(String name) {
        return jdbi.withHandle(h -> h.createQuery(sql.get("find")).bind("name", name).map((rs, ctx) -> row(rs)).findOne());
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString("name"), Role.valueOf(rs.getString("role")), rs.getString("password_hash"),
                rs.getObject("disabled_at") == null);
    }

    private record Row(String name, Role role, String hash, boolean enabled) {
        StaffAccount account() {
            return new StaffAccount(name, role);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
