package org.trapline.server.cli;

import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.trapline.server.BindAddress;
import org.trapline.server.Instance;
import org.trapline.server.ServerSettings;
import org.trapline.server.TraplineServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code trapline run}: starts the trap MX and serves until SIGTERM or Ctrl-C. */
@Command(name = "run", description = "Start the trap MX (and Trapline's services) and run until stopped.")
public final class RunCommand implements Callable<Integer> {
    private final TraplineCommand root;

    @Option(names = "--smtp-bind", paramLabel = "HOST:PORT", description = "Where the MX listens (overrides smtp.bind).")
    String smtpBind;

    @Option(names = "--radius-bind", paramLabel = "HOST:PORT",
            description = "Where RADIUS accounting is received, UDP (overrides attribution.radius.bind).")
    String radiusBind;

    public RunCommand(TraplineCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
        Instance instance = root.instance();
        Properties properties = instance.settings();
        if (radiusBind != null) {
            properties.setProperty("attribution.radius.bind", BindAddress.parse(radiusBind, "--radius-bind").toString());
        }
        ServerSettings settings = ServerSettings.from(properties, instance.confDir());
        if (smtpBind != null) {
            settings = settings.withSmtpBind(BindAddress.parse(smtpBind, "--smtp-bind"));
        }
        TraplineServer server = TraplineServer.start(instance, settings, properties, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                if (!done) {
                    done = true;
                    server.close();
                }
                stopped.countDown();
            }
        };
        // SIGTERM and Ctrl-C stop the server before the JVM begins to shut down. H2 closes its databases from a
        // JVM shutdown hook of its own (it cannot be turned off with AUTO_SERVER); run beside ours, it closed the
        // evidence store under the releaser's final flush, which logged an error and left that batch in the
        // spool for a replay at the next start.
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> {
                stop.run();
                System.exit(0);
            });
        }
        // Any other way out still stops the server, as far as the race with H2's hook allows.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "trapline-shutdown"));
        stopped.await();
        return 0;
    }
}
