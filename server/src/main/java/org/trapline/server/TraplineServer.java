package org.trapline.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import org.apache.james.GuiceJamesServer;
import org.apache.james.server.core.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.accounting.AccountingServer;
import org.trapline.attribution.accounting.AccountingServerSettings;
import org.trapline.attribution.detail.DetailImportSettings;
import org.trapline.attribution.detail.DetailImporter;
import org.trapline.attribution.detail.DetailWatchSettings;
import org.trapline.attribution.detail.DetailWatcher;
import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.sql.StoreSettings;
import org.trapline.desk.casebook.Casebook;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.PurgeReport;
import org.trapline.enforcement.Enforcement;
import org.trapline.mailets.pipeline.BackgroundPriority;
import org.trapline.mailets.spool.Spool;
import org.trapline.mailets.spool.SpoolReleaser;
import org.trapline.origin.OriginTracer;
import org.trapline.server.control.ControlServer;
import org.trapline.server.james.AccountingService;
import org.trapline.server.james.PeriodicTasks;
import org.trapline.server.james.JamesConfDir;
import org.trapline.server.james.SmtpOnlyJames;
import org.trapline.server.james.TraplineModule;
import org.trapline.web.DeskSettings;
import org.trapline.web.WebDesk;
import org.trapline.web.account.PasswordHash;
import org.trapline.web.account.StaffAccounts;

/**
 * The running trap MX: Apache James (SMTP only, in memory) with Trapline's hooks, mailets and services.
 */
public final class TraplineServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TraplineServer.class);

    static {
        // A startup failure must reach our caller as an exception (one clear line), not System.exit(1).
        System.setProperty("james.exit.on.startup.error", "false");
    }

    private final GuiceJamesServer james;
    private final ServerSettings settings;
    private final ServerStatus status;
    private final DataAccess data;
    private final ControlServer control;
    private final AccountingService accounting;
    private final List<Runnable> timers;
    private final List<AutoCloseable> stores;

    private TraplineServer(GuiceJamesServer james, ServerSettings settings, ServerStatus status, DataAccess data, ControlServer control,
                           AccountingService accounting, List<Runnable> timers, List<AutoCloseable> stores) {
        this.james = james;
        this.settings = settings;
        this.status = status;
        this.data = data;
        this.control = control;
        this.accounting = accounting;
        this.timers = timers;
        this.stores = stores;
    }

    /**
     * Boots the MX with everything it feeds: origin tracing, the session store and RADIUS accounting
     * listener, the evidence store. Throws {@link ConfigurationException} with an operator-readable
     * message on failure, after closing whatever it had opened.
     *
     * @param properties the loaded {@code trapline.properties}, command-line overrides applied
     */
    public static TraplineServer start(Instance instance, ServerSettings settings, Properties properties, Clock clock) {
        StartChecks.check(instance, settings, properties);
        instance.prepareDataDir();
        checkPortFree(settings.smtpBind(), "--smtp-bind (smtp.bind)");
        Optional<DeskSettings> deskBind = StartChecks.setting(() -> DeskSettings.from(properties));
        deskBind.filter(d -> d.port() != 0).ifPresent(d -> checkPortFree(new BindAddress(d.host(), d.port()), DeskSettings.BIND));

        Deque<AutoCloseable> opened = new ArrayDeque<>();
        opened.push(DataDirLock.tryAcquire(instance.dataDir()).orElseThrow(() -> new ConfigurationException("data directory "
                + instance.dataDir() + " is in use by another Trapline process (a server, or a command run while none was); "
                + "stop it or choose another --data")));
        ServerStatus status = new ServerStatus(clock);
        ServerData data = new ServerData(status, clock);
        try {
            // First, so that bin/trapline status can tell what the start is doing from here on.
            ControlServer control = startControl(instance, properties, data);
            opened.push(control);
            opened.push(data::failed);
            status.listening("control", control.path().toString());
            status.step("opening the spool");
            Spool spool = new Spool(instance.dataDir().resolve("spool"), settings.maxBacklog() == 0 ? Long.MAX_VALUE : settings.maxBacklog(),
                    settings.syncBatchWait());
            try {
                spool.open();
            } catch (IOException e) {
                throw new ConfigurationException("cannot open the spool in " + spool.directory() + ": " + e.getMessage());
            }
            opened.push(spool);
            StoreSettings stores = StartChecks.setting(() -> StoreSettings.from(properties));
            status.step("opening the session store (migrating it if this version is new)");
            SessionStore sessions = open(() -> SessionStore.open(instance.dataDir(), stores), "session store", instance);
            opened.push(sessions);
            JournalSettings journalSettings = StartChecks.setting(() -> JournalSettings.from(properties));
            AccountingJournal journal = open(() -> AccountingJournal.open(instance.dataDir(), journalSettings, sessions),
                    "accounting journal", instance);
            opened.push(journal);
            AttributionLookup lookup = StartChecks.setting(() -> AttributionLookup.create(sessions, LookupSettings.from(properties), journal));
            status.step("opening the evidence store");
            EvidenceStore evidence = open(() -> EvidenceStore.open(instance.dataDir(), clock, EvidenceSettings.from(properties), stores),
                    "evidence store", instance);
            opened.push(evidence);
            AccountingServer radius = new AccountingServer(StartChecks.setting(() -> AccountingServerSettings.from(properties)), journal);
            DetailWatchSettings watch = StartChecks.setting(() -> DetailWatchSettings.from(properties));
            Optional<DetailWatcher> watcher = watch.enabled()
                    ? Optional.of(new DetailWatcher(watch, new DetailImporter(sessions, ZoneId.systemDefault(), StartChecks.setting(() -> DetailImportSettings.from(properties))), sessions))
                    : Optional.empty();
            AccountingService accounting = new AccountingService(radius, watcher);
            status.step("opening the policy database");
            Enforcement enforcement = open(() -> StartChecks.setting(() -> Enforcement.open(properties, instance.dataDir(),
                    subscriber -> lookup.currentSession(subscriber, clock.instant()),
                    clock)), "policy database", instance);
            opened.push(enforcement::close);
            StaffAccounts staff = open(() -> StaffAccounts.open(instance.dataDir(), stores, new PasswordHash(PasswordHash.COST), clock),
                    "users store", instance);
            opened.push(staff);
            Casebook casebook = open(() -> Casebook.open(instance.dataDir(), stores), "casebook", instance);
            opened.push(casebook);
            data.opened(new ServerData.Stores(sessions, lookup, evidence, enforcement, staff, casebook));
            if (deskBind.isPresent()) {
                status.step("starting the web desk");
                WebDesk web;
                try {
                    web = WebDesk.start(deskBind.get(), data::desk, data::staff, clock);
                } catch (IllegalStateException e) {
                    throw new ConfigurationException(e.getMessage() + "; choose another address with " + DeskSettings.BIND);
                }
                opened.push(web);
                data.deskStarted(web);
                status.listening("desk", web.address());
            }
            // Spool copies go once the evidence of a batch of hits is flushed: one fsync round per interval.
            SpoolReleaser releaser = new SpoolReleaser(spool, evidence::sync, Duration.ofMillis(200));
            Duration expiryEvery = Duration.ofSeconds(ServerSettings.number(properties, "action.expiry-check-seconds", 30));
            PeriodicTasks housekeeping = new PeriodicTasks()
                    .add("block expiry", expiryEvery, expiryEvery, enforcement.enforcer()::expireDue)
                    .add("raw retention", Duration.ofMinutes(1), Duration.ofHours(6), () -> purgeExpiredRaw(evidence));

            Path jamesHome = instance.dataDir().resolve("james");
            Path jamesConf = jamesHome.resolve("conf");
            JamesConfDir.render(instance.confDir(), jamesConf, settings.jamesPlaceholders());

            Configuration configuration = Configuration.builder()
                    .workingDirectory(jamesHome.toFile())
                    .configurationPath(new Configuration.ConfigurationPath("file://" + jamesConf.toAbsolutePath() + "/"))
                    .build();
            GuiceJamesServer james = GuiceJamesServer.forConfiguration(configuration)
                    .combineWith(SmtpOnlyJames.modules())
                    .combineWith(new TraplineModule(settings.trapDomains(), spool, releaser, clock, new OriginTracer(settings.trust()),
                            lookup, evidence, accounting, enforcement.enforcer(), housekeeping, status));
            Runnable stopYielding = yieldToSmtp(properties);
            releaser.start();
            status.step("starting James (SMTP) and the accounting listener");
            try {
                james.start();
            } catch (Throwable e) {
                LOG.debug("James failed to start", e);
                safeStop(james);
                accounting.stop();
                housekeeping.stop();
                releaser.stop();
                stopYielding.run();
                throw new ConfigurationException(describeStartFailure(e, settings));
            }
            LOG.info("Trapline MX listening on {} for trap domains {}", settings.smtpBind(), settings.trapDomains().domains());
            status.listening("smtp", settings.smtpBind().toString());
            status.listening("radius", hostPort(accounting.server().localAddress()));
            status.running();
            return new TraplineServer(james, settings, status, data, control, accounting, List.of(housekeeping::stop, releaser::stop, stopYielding),
                    List.copyOf(opened));
        } catch (RuntimeException e) {
            opened.forEach(TraplineServer::closeQuietly);
            throw e;
        }
    }

    public BindAddress smtpBind() {
        return settings.smtpBind();
    }

    /** The stores this server owns, as its commands use them (the server closes them). */
    public DataAccess data() {
        return data;
    }

    /** What the server says about itself ({@code bin/trapline status}). */
    public ServerStatus status() {
        return status;
    }

    /** Where RADIUS accounting is received (the bound address, also when port 0 was asked for). */
    public InetSocketAddress radiusAddress() {
        return accounting.server().localAddress();
    }

    /** Stops James (SMTP, pipeline, accounting listener), then closes the stores. */
    @Override
    public void close() {
        status.stopping();
        // No new commands, and those running end, before the stores they use close.
        control.close();
        safeStop(james);
        accounting.stop();
        timers.forEach(Runnable::run);
        stores.forEach(TraplineServer::closeQuietly);
    }

    private static ControlServer startControl(Instance instance, Properties properties, ServerData data) {
        try {
            return ControlServer.start(instance.dataDir(), (argv, cwd, in, out, err) ->
                    Main.runInServer(argv, cwd, in, out, err, Main.serverContext(properties, data, in, out)));
        } catch (IOException e) {
            throw new ConfigurationException(e.getMessage() + " (a data directory path must stay under 100 bytes for its socket)");
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return new BindAddress(a.getAddress().getHostAddress(), a.getPort()).toString();
    }

    private static <T> T open(Supplier<T> opener, String what, Instance instance) {
        return ConfigurationException.whileOpening(what, instance.dataDir(), opener);
    }

    /** pipeline.priority: the work behind the 250 yields the CPU to SMTP sessions; returns how to stop that. */
    private static Runnable yieldToSmtp(Properties properties) {
        Optional<BackgroundPriority.Priority> priority;
        try {
            priority = BackgroundPriority.Priority.parse(properties.getProperty("pipeline.priority", "idle"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("pipeline.priority must be " + e.getMessage());
        }
        if (priority.isEmpty()) {
            return () -> { };
        }
        BackgroundPriority background = new BackgroundPriority(priority.get(), BackgroundPriority.BEHIND_THE_250);
        // Pools start and retire threads all the time; a second is soon enough for a new one.
        background.start(Duration.ofSeconds(1));
        return background::close;
    }

    /** Applies evidence.retention.raw-days (a no-op when 0). */
    private static void purgeExpiredRaw(EvidenceStore evidence) {
        PurgeReport r = evidence.purgeExpiredRaw("retention");
        if (r.hits() > 0) {
            LOG.info("retention: raw bodies of {} trap hits purged ({} raw messages erased), journal #{}", r.hits(), r.rawMessagesErased(), r.journalId());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Error while closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    private static void safeStop(GuiceJamesServer james) {
        try {
            james.stop();
        } catch (RuntimeException e) {
            LOG.warn("Error while stopping James: {}", e.toString());
        }
    }

    /** Fails with the fix when nothing can listen on {@code bind} (in use, or not an address of this host). */
    public static void checkPortFree(BindAddress bind, String option) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(bind.host(), bind.port()));
        } catch (BindException e) {
            throw new ConfigurationException("cannot listen on " + bind + ": " + e.getMessage()
                    + "; stop what uses it or choose another address with " + option);
        } catch (IOException e) {
            throw new ConfigurationException("cannot listen on " + bind + ": " + e + "; fix " + option);
        }
    }

    private static String describeStartFailure(Throwable e, ServerSettings settings) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "cannot listen on " + settings.smtpBind() + ": " + t.getMessage() + "; choose another address with --smtp-bind";
            }
            if (t instanceof ConfigurationException) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "James failed to start: " + root + " (check the XML files in the conf directory)";
    }
}
