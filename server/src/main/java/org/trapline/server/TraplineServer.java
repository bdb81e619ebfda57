package org.trapline.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;

import org.apache.james.GuiceJamesServer;
import org.apache.james.server.core.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.mailets.spool.Spool;
import org.trapline.origin.OriginTracer;
import org.trapline.server.james.JamesConfDir;
import org.trapline.server.james.SmtpOnlyJames;
import org.trapline.server.james.TraplineModule;

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

    private TraplineServer(GuiceJamesServer james, ServerSettings settings) {
        this.james = james;
        this.settings = settings;
    }

    /** Boots the MX; throws {@link ConfigurationException} with an operator-readable message on failure. */
    public static TraplineServer start(Instance instance, ServerSettings settings, Clock clock) {
        instance.prepareDataDir();
        checkPortFree(settings.smtpBind(), "--smtp-bind (smtp.bind)");

        Spool spool = new Spool(instance.dataDir().resolve("spool"));
        try {
            spool.open();
        } catch (IOException e) {
            throw new ConfigurationException("cannot open the spool in " + spool.directory() + ": " + e.getMessage());
        }

        Path jamesHome = instance.dataDir().resolve("james");
        Path jamesConf = jamesHome.resolve("conf");
        JamesConfDir.render(instance.confDir(), jamesConf, settings.jamesPlaceholders());

        Configuration configuration = Configuration.builder()
                .workingDirectory(jamesHome.toFile())
                .configurationPath(new Configuration.ConfigurationPath("file://" + jamesConf.toAbsolutePath() + "/"))
                .build();
        GuiceJamesServer james = GuiceJamesServer.forConfiguration(configuration)
                .combineWith(SmtpOnlyJames.modules())
                .combineWith(new TraplineModule(settings.trapDomains(), spool, clock, new OriginTracer(settings.trust())));
        try {
            james.start();
        } catch (Throwable e) {
            LOG.debug("James failed to start", e);
            safeStop(james);
            throw new ConfigurationException(describeStartFailure(e, settings));
        }
        LOG.info("Trapline MX listening on {} for trap domains {}", settings.smtpBind(), settings.trapDomains().domains());
        return new TraplineServer(james, settings);
    }

    public BindAddress smtpBind() {
        return settings.smtpBind();
    }

    @Override
    public void close() {
        safeStop(james);
    }

    private static void safeStop(GuiceJamesServer james) {
        try {
            james.stop();
        } catch (RuntimeException e) {
            LOG.warn("Error while stopping James: {}", e.toString());
        }
    }

    private static void checkPortFree(BindAddress bind, String option) {
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
