package org.trapline.server.cli;

import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.trapline.attribution.accounting.AccountingServerSettings;
import org.trapline.common.sql.StoreSettings;
import org.trapline.server.ConfigurationException;
import org.trapline.server.DataDirLock;
import org.trapline.server.Instance;
import org.trapline.server.ServerSettings;
import org.trapline.server.StartChecks;
import org.trapline.server.TraplineServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code trapline check}: validates a conf directory (and where its data would go) without starting
 * anything: the checks {@code run} makes before it opens a store, and whether its ports are free.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate the conf directory without starting anything: unknown or misspelled settings, bad values, "
                + "secret files others can read, missing files, James's XML files, the data directory and the ports.",
                "Exit 0 only when run would start with it (a server already running on the data directory is reported and "
                        + "its ports are not probed); 2 with one line saying what to fix."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final TraplineCommand root;

    public CheckCommand(TraplineCommand root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Instance instance = root.instance();
        Properties settings = instance.settings();
        out.println("ok    " + instance.confDir().resolve(Instance.SETTINGS_FILE) + ": every key known, secret files private");
        ServerSettings server = ServerSettings.from(settings, instance.confDir());
        List<String> passed = StartChecks.check(instance, server, settings);
        passed.forEach(line -> out.println("ok    " + line));
        StoreSettings stores = StoreSettings.from(settings);
        if (!stores.embedded()) {
            try {
                out.println("ok    store database reachable: " + stores.reachable());
            } catch (IllegalStateException e) {
                throw new ConfigurationException(StoreSettings.URL + ": " + e.getMessage());
            }
        }
        Path data = instance.dataDir();
        boolean serverRuns = DataDirLock.isHeld(data);
        if (serverRuns) {
            out.println("note  a Trapline process holds " + data + " now (bin/trapline status tells what it does); ports not probed");
        } else {
            checkDataDir(data);
            out.println("ok    data directory " + data + (Files.isDirectory(data) ? "" : " (made at the first start)"));
            TraplineServer.checkPortFree(server.smtpBind(), "smtp.bind");
            InetSocketAddress radius = AccountingServerSettings.from(settings).bind();
            try (DatagramSocket probe = new DatagramSocket(radius)) {
                out.println("ok    ports " + server.smtpBind() + " (TCP) and " + radius.getAddress().getHostAddress() + ":" + radius.getPort()
                        + " (UDP) are free");
            } catch (java.io.IOException e) {
                throw new ConfigurationException("cannot listen on UDP " + radius + ": " + e.getMessage()
                        + "; stop what uses it or choose another attribution.radius.bind");
            }
        }
        out.flush();
        return 0;
    }

    private static void checkDataDir(Path data) {
        Path existing = data;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new ConfigurationException("data directory " + data + " cannot be made or written (" + existing
                    + " is not a writable directory); fix data.dir or its permissions");
        }
    }
}
