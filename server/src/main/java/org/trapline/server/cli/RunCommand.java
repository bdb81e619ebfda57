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
import org.trapline.server.log.ServerLogging;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code trapline run}: starts the trap MX and serves until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the trap MX (and Trapline's services) and run until stopped.")
public final class RunCommand implements Callable<Integer> {
    /** What {@link #call} returns once it has served until the JVM shut down: the process exits on its own. */
    public static final int SERVED_UNTIL_SHUTDOWN = -1;

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
        // The log lives in the data directory: an unusable one is reported as such before logging moves there.
        instance.ensureDataDir();
        ServerLogging logging = ServerLogging.from(properties, instance.dataDir(), System.console() != null);
        logging.apply(instance.confDir());
        if (!logging.console()) {
            // A service's one line on its own output says where everything else went.
            System.err.println("trapline: logging to " + logging.describe());
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
        // SIGTERM and Ctrl-C stop the server (a final flush, then the stores close) before the JVM begins to shut
        // down, so that nothing else's shutdown hook runs beside that flush.
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> {
                stop.run();
                System.exit(0);
            });
        }
        // Any other way out still stops the server, as far as the race with H2's hook allows.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "trapline-shutdown"));
        stopped.await();
        return SERVED_UNTIL_SHUTDOWN;
    }
}
