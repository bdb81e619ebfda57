package org.trapline.origin.cli;

import org.trapline.origin.ClientConnection;
import org.trapline.origin.Endpoint;
import org.trapline.origin.Networks;
import org.trapline.origin.OriginTracer;
import org.trapline.origin.Trace;
import org.trapline.origin.TrustPolicy;
import org.trapline.origin.json.OriginJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code trapline trace}: who sent this message? Prints one JSON object
 * {@code {"origin": {ip, port, endpoint, rdns, helo, by, time} or null, "trusted": [relay...], "untrusted": [relay...]}}
 * with relays newest first. The networks come from the {@code origin.*} settings; each option
 * replaces its own setting. Exit 0 with an origin, 1 when the message has none (it never left
 * trusted hosts), 2 for bad input or settings.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Trace a message to its origin hop: the client that handed it to our trusted boundary, and when.")
public final class TraceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--trusted", split = ",", paramLabel = "CIDR",
            description = "Trusted networks (replaces origin.trusted-networks).")
    List<String> trusted;

    @Option(names = "--internal", split = ",", paramLabel = "CIDR",
            description = "Internal networks (replaces origin.internal-networks).")
    List<String> internal;

    @Option(names = "--msa", split = ",", paramLabel = "CIDR",
            description = "Submission servers (replaces origin.msa-networks).")
    List<String> msa;

    @Option(names = "--client-ip", paramLabel = "IP",
            description = "The address our MX saw deliver the message: the newest hop, believed over any header.")
    String clientIp;

    @Option(names = "--client-helo", paramLabel = "NAME", description = "The HELO our MX saw (needs --client-ip).")
    String clientHelo;

    @Option(names = "--client-port", paramLabel = "PORT",
            description = "The client's source port our MX saw, 1..65535 (needs --client-ip).")
    Integer clientPort;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE.eml", defaultValue = "-",
            description = "The message; - (the default) reads standard input.")
    String file;

    private final Supplier<Properties> settings;
    private final Supplier<InputStream> stdin;

    /** As the root command constructs library commands; reads System.in for "-". */
    public TraceCommand(Supplier<Properties> settings, Supplier<Path> dataDir) {
        this(settings, dataDir, () -> System.in);
    }

    /** With a given standard input (for tests and embedding). */
    public TraceCommand(Supplier<Properties> settings, Supplier<Path> dataDir, Supplier<InputStream> stdin) {
        this.settings = settings;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrustPolicy policy;
        ClientConnection connection = null;
        try {
            Properties p = settings == null ? null : settings.get();
            policy = TrustPolicy.fromProperties(p == null ? new Properties() : p);
        } catch (IllegalArgumentException e) {
            err.println("trace: bad setting " + e.getMessage());
            return 2;
        }
        try {
            if (trusted != null) {
                policy = policy.withTrusted(Networks.parse(trusted));
            }
            if (internal != null) {
                policy = policy.withInternal(Networks.parse(internal));
            }
            if (msa != null) {
                policy = policy.withMsa(Networks.parse(msa));
            }
        } catch (IllegalArgumentException e) {
            err.println("trace: " + e.getMessage());
            return 2;
        }
        if (clientHelo != null && clientIp == null) {
            err.println("trace: --client-helo needs --client-ip");
            return 2;
        }
        if (clientPort != null && (clientIp == null || clientPort < 1 || clientPort > 65535)) {
            err.println("trace: --client-port needs --client-ip and a port 1..65535");
            return 2;
        }
        if (clientIp != null) {
            try {
                connection = ClientConnection.of(clientIp, clientPort == null ? Endpoint.UNKNOWN_PORT : clientPort,
                        clientHelo);
            } catch (IllegalArgumentException e) {
                err.println("trace: --client-ip: " + e.getMessage());
                return 2;
            }
        }
        Trace trace;
        try (InputStream in = "-".equals(file) ? StandardInput.unclosable(stdin.get()) : Files.newInputStream(Path.of(file))) {
            trace = new OriginTracer(policy).trace(in, connection);
        } catch (NoSuchFileException e) {
            err.println("trace: no such file: " + file);
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("trace: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        out.println(OriginJson.trace(trace));
        out.flush();
        return trace.origin().isPresent() ? 0 : 1;
    }
}
