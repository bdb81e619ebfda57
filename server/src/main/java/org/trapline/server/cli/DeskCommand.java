package org.trapline.server.cli;

import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.trapline.server.ConfigurationException;
import org.trapline.server.DataAccess;
import org.trapline.server.control.ControlClient;
import org.trapline.web.DeskSettings;
import org.trapline.web.WebDesk;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code trapline desk}: the web desk in a process of its own, until SIGTERM or Ctrl-C. Beside a running
 * server it relays every request through that server's control socket to the server's desk
 * ({@link DeskRelay}); over a data directory no server holds it opens the stores itself, under the
 * directory's lock.
 */
@Command(name = "desk", mixinStandardHelpOptions = true,
        description = "Serve the web desk alone over a data directory (bin/trapline run serves it too, on desk.bind).")
public final class DeskCommand implements Callable<Integer> {
    private final TraplineCommand root;

    @Option(names = "--bind", paramLabel = "HOST:PORT", description = "Where the desk listens (overrides desk.bind).")
    String bind;

    public DeskCommand(TraplineCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        Properties properties = root.settings().get();
        DeskSettings configured = setting(() -> DeskSettings.from(properties).orElse(DeskSettings.parse(DeskSettings.DEFAULT_BIND, false)));
        DeskSettings settings = bind == null ? configured : setting(() -> configured.at(bind));
        if (!serverAnswers()) {
            return serve(settings);
        }
        if (bind == null) {
            throw new ConfigurationException("the server holding " + root.instance().dataDir() + " serves the web desk on "
                    + DeskSettings.BIND + " already; give this one another address with --bind HOST:PORT");
        }
        DeskRelay relay;
        try {
            relay = DeskRelay.start(settings, root.instance().confDir(), root.instance().dataDir());
        } catch (java.io.IOException e) {
            throw new ConfigurationException("the web desk cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage() + "; choose another address with --bind");
        }
        System.err.println("trapline: web desk on http://" + relay.address() + "/, relayed to the server holding "
                + root.instance().dataDir() + " (Ctrl-C stops it)");
        return untilStopped(relay::close);
    }

    private boolean serverAnswers() {
        try (java.nio.channels.SocketChannel server = ControlClient.connect(root.instance().dataDir())) {
            return server.isConnected();
        } catch (java.io.IOException noServer) {
            return false;
        }
    }

    /** No server holds the data directory: this process opens its stores and serves the desk over them. */
    private int serve(DeskSettings settings) throws InterruptedException {
        DataAccess data = root.data().get();
        // A wrong --data fails now, not at the first search.
        data.evidence();
        data.enforcement();
        data.staff();
        WebDesk web;
        try {
            web = WebDesk.start(settings, data::desk, data::staff, Clock.systemUTC());
        } catch (IllegalStateException e) {
            throw new ConfigurationException(e.getMessage() + "; choose another address with --bind");
        }
        System.err.println("trapline: web desk on http://" + web.address() + "/ (Ctrl-C stops it)");
        return untilStopped(() -> {
            web.close();
            if (root.context() instanceof LocalContext local) {
                local.close();
            }
        });
    }

    private static int untilStopped(Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> {
                stop.run();
                stopped.countDown();
                System.exit(0);
            });
        }
        stopped.await();
        return 0;
    }

    private static DeskSettings setting(java.util.function.Supplier<DeskSettings> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
