package org.trapline.server;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.session.SessionStore;
import org.trapline.desk.Desk;
import org.trapline.desk.casebook.Casebook;
import org.trapline.evidence.EvidenceStore;
import org.trapline.enforcement.Enforcement;
import org.trapline.web.WebDesk;
import org.trapline.web.account.StaffAccounts;

/**
 * The running server's stores, for the commands its control socket runs. The socket answers from the
 * start (so {@code status} can say what the start is doing); a command that needs a store waits until
 * the server has opened them all.
 */
final class ServerData implements DataAccess {
    private static final long READY_WAIT_MINUTES = 30;

    private final ServerStatus status;
    private final Desk desk;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Stores stores;
    private volatile boolean failed;
    private volatile WebDesk web;

    /** What the server opened. */
    record Stores(SessionStore sessions, AttributionLookup attribution, EvidenceStore evidence, Enforcement enforcement,
                  StaffAccounts staff, Casebook casebook) {
    }

    /** @param clock the server's, for what the desk calls now */
    ServerData(ServerStatus status, Clock clock) {
        this.status = status;
        this.desk = new Desk(this::evidence, () -> enforcement().enforcer(), () -> stores().casebook(), (nas, id) -> sessions().find(nas, id),
                clock);
    }

    void opened(Stores opened) {
        stores = opened;
        ready.countDown();
    }

    /** The web desk listens: a desk beside the server relays to it. */
    void deskStarted(WebDesk started) {
        web = started;
    }

    /** The start failed: commands waiting for the stores give up. */
    void failed() {
        failed = true;
        ready.countDown();
    }

    private Stores stores() {
        try {
            if (!ready.await(READY_WAIT_MINUTES, TimeUnit.MINUTES)) {
                throw new ConfigurationException("the server has been starting for " + READY_WAIT_MINUTES + " minutes ("
                        + status.toMap().get("step") + "); try again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted while waiting for the server to start");
        }
        if (failed || status.state() == ServerStatus.State.STOPPING) {
            throw new ConfigurationException("the server is stopping");
        }
        return stores;
    }

    @Override
    public SessionStore sessions() {
        return stores().sessions();
    }

    @Override
    public AttributionLookup attribution() {
        return stores().attribution();
    }

    @Override
    public EvidenceStore evidence() {
        return stores().evidence();
    }

    @Override
    public Enforcement enforcement() {
        return stores().enforcement();
    }

    @Override
    public StaffAccounts staff() {
        return stores().staff();
    }

    /** The same desk for every command: it keeps nothing but the way to the stores. */
    @Override
    public Desk desk() {
        return desk;
    }

    @Override
    public Optional<ServerStatus> server() {
        return Optional.of(status);
    }

    @Override
    public Optional<WebDesk> webDesk() {
        return Optional.ofNullable(web);
    }
}
