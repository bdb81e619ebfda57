package org.trapline.server.james;

import java.io.IOException;
import java.util.Optional;

import javax.annotation.PreDestroy;

import org.apache.james.lifecycle.api.Startable;
import org.trapline.attribution.accounting.AccountingServer;
import org.trapline.attribution.detail.DetailWatcher;
import org.trapline.server.ConfigurationException;

/**
 * The RADIUS accounting listener and the FreeRADIUS detail-file follower, started and stopped with
 * James so that the MX never runs without its accounting feed, and vice versa.
 */
public class AccountingService implements Startable {
    private final AccountingServer server;
    private final Optional<DetailWatcher> watcher;

    public AccountingService(AccountingServer server, Optional<DetailWatcher> watcher) {
        this.server = server;
        this.watcher = watcher;
    }

    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new ConfigurationException(e.getMessage() + "; stop what uses it or choose another address with --radius-bind (attribution.radius.bind)");
        }
        watcher.ifPresent(DetailWatcher::start);
    }

    @PreDestroy
    public void stop() {
        watcher.ifPresent(DetailWatcher::stop);
        server.stop();
    }

    public AccountingServer server() {
        return server;
    }
}
