package org.trapline.server;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.sql.StoreSettings;
import org.trapline.desk.Desk;
import org.trapline.desk.casebook.Casebook;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.evidence.EvidenceStore;
import org.trapline.enforcement.Enforcement;
import org.trapline.web.account.PasswordHash;
import org.trapline.web.account.StaffAccounts;

/**
 * The stores of a data directory that no server holds, opened by this process on first use and closed
 * with it. Holds the data directory's lock all the while, so a server started meanwhile refuses to
 * start rather than share the files. A store that does not exist yet is not created: a command that
 * reads evidence from the wrong directory says so instead of finding an empty store.
 */
public final class LocalData implements DataAccess, AutoCloseable {
    private final Instance instance;
    private final Properties settings;
    private final Clock clock;
    private final DataDirLock lock;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private SessionStore sessions;
    private AttributionLookup attribution;
    private EvidenceStore evidence;
    private Enforcement enforcement;
    private Desk desk;
    private StaffAccounts staff;
    private StoreSettings stores;
    private Casebook casebook;

    public LocalData(Instance instance, Properties settings, Clock clock, DataDirLock lock) {
        this.instance = instance;
        this.settings = settings;
        this.clock = clock;
        this.lock = lock;
    }

    private StoreSettings stores() {
        if (stores == null) {
            stores = StartChecks.setting(() -> StoreSettings.from(settings));
        }
        return stores;
    }

    @Override
    public synchronized SessionStore sessions() {
        if (sessions == null) {
            sessions = keep(open(() -> SessionStore.open(instance.dataDir(), stores()), "session store"));
            // Accounting a server acknowledged before it stopped may not be in the store yet: apply it first.
            JournalSettings journal = StartChecks.setting(() -> JournalSettings.from(settings));
            open(() -> AccountingJournal.bringUpToDate(instance.dataDir(), journal, sessions),
                    "accounting journal");
        }
        return sessions;
    }

    @Override
    public synchronized AttributionLookup attribution() {
        if (attribution == null) {
            require(SessionStore.DIRECTORY + "/radacct.mv.db", "session store");
            LookupSettings lookup = StartChecks.setting(() -> LookupSettings.from(settings));
            attribution = StartChecks.setting(() -> AttributionLookup.create(sessions(), lookup));
        }
        return attribution;
    }

    @Override
    public synchronized EvidenceStore evidence() {
        if (evidence == null) {
            require("evidence.mv.db", "evidence store");
            EvidenceSettings parsed = StartChecks.setting(() -> EvidenceSettings.from(settings));
            evidence = keep(open(() -> EvidenceStore.open(instance.dataDir(), clock, parsed, stores()), "evidence store"));
        }
        return evidence;
    }

    @Override
    public synchronized Enforcement enforcement() {
        if (enforcement == null) {
            require("policy.mv.db", "policy database");
            // A NAK 503 is re-targeted at the subscriber's current session; the session store opens only then.
            Enforcement e = open(() -> StartChecks.setting(() -> Enforcement.open(settings, instance.dataDir(),
                    subscriber -> attribution().currentSession(subscriber, clock.instant()), clock)), "policy database");
            opened.push(e::close);
            enforcement = e;
        }
        return enforcement;
    }

    /** The stores open as the desk first asks for them: listing actions does not open the search index. */
    @Override
    public synchronized Desk desk() {
        if (desk == null) {
            desk = new Desk(this::evidence, () -> enforcement().enforcer(), this::casebook, (nas, id) -> sessions().find(nas, id), clock);
        }
        return desk;
    }

    /** Created when missing: a data directory from before the casebook gets one at its first staff act. */
    private synchronized Casebook casebook() {
        if (casebook == null) {
            casebook = keep(open(() -> Casebook.open(instance.dataDir(), stores()), "casebook"));
        }
        return casebook;
    }

    /** Created when missing: the first staff account is added before the first start. */
    @Override
    public synchronized StaffAccounts staff() {
        if (staff == null) {
            staff = keep(open(() -> StaffAccounts.open(instance.dataDir(), stores(), new PasswordHash(PasswordHash.COST), clock), "users store"));
        }
        return staff;
    }

    @Override
    public Optional<ServerStatus> server() {
        return Optional.empty();
    }

    /** Closes what was opened, newest first, then lets go of the data directory. */
    @Override
    public synchronized void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception ignored) {
                // closing the rest matters more; H2 and Lucene have flushed what they committed
            }
        }
        lock.close();
    }

    /** An H2 store's file; a shared database's schemas are made by whichever process opens it first. */
    private void require(String file, String what) {
        if (stores().embedded() && !Files.exists(instance.dataDir().resolve(file))) {
            throw new ConfigurationException("no " + what + " in " + instance.dataDir()
                    + " (is --data right? the server creates it at its first start)");
        }
    }

    private <T extends AutoCloseable> T keep(T store) {
        opened.push(store);
        return store;
    }

    private <T> T open(Supplier<T> opener, String what) {
        return ConfigurationException.whileOpening(what, instance.dataDir(), opener);
    }
}
