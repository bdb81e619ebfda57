package org.trapline.server.cli;

import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.trapline.server.BindAddress;
import org.trapline.server.Instance;
import org.trapline.server.ServerSettings;
import org.trapline.server.TraplineServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "trapline-shutdown"));
        stopped.await();
        return 0;
    }
}
