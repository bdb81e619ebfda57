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
 * {@code trapline desk}: the web desk alone, over a data directory no server holds (this process opens its
 * stores under the directory's lock), until SIGTERM or Ctrl-C.
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
        DeskSettings settings = setting(() -> DeskSettings.from(properties).orElse(DeskSettings.parse(DeskSettings.DEFAULT_BIND, false)));
        if (bind != null) {
            settings = setting(() -> DeskSettings.from(properties).orElseThrow().at(bind));
        }
        try (java.nio.channels.SocketChannel server = ControlClient.connect(root.instance().dataDir())) {
            throw new ConfigurationException("a Trapline server holds " + root.instance().dataDir() + " and serves the web desk itself ("
                    + DeskSettings.BIND + "=" + properties.getProperty(DeskSettings.BIND, DeskSettings.DEFAULT_BIND) + ")");
        } catch (java.io.IOException noServer) {
            // this process opens the stores
        }
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
        CountDownLatch stopped = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> {
                web.close();
                if (root.context() instanceof LocalContext local) {
                    local.close();
                }
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
