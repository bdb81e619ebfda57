package org.trapline.server.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.server.ServerStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trapline status}: is a server running on the data directory, and how far is its start. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Say whether a server runs on the data directory: its state (starting, running, stopping), "
                + "what it listens on and how far the replay of what an earlier run left in the spool has got.",
                "Exit 0 when a server runs (also while it starts), 1 when none does."})
public final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object (state, step, pid, started_at, listening, spool_replay).")
    boolean json;

    private final Supplier<Optional<ServerStatus>> server;

    public StatusCommand(Supplier<Optional<ServerStatus>> server) {
        this.server = server;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<ServerStatus> status = server.get();
        if (status.isEmpty()) {
            out.println(json ? "{\"state\":\"not running\"}" : "not running");
            out.flush();
            return 1;
        }
        Map<String, Object> m = status.get().toMap();
        if (json) {
            out.println(JSON.writeValueAsString(m));
        } else {
            out.printf("%s%s, pid %s, up %s s%n", m.get("state"), m.containsKey("step") ? " (" + m.get("step") + ")" : "",
                    m.get("pid"), m.get("uptime_seconds"));
            ((Map<?, ?>) m.get("listening")).forEach((what, where) -> out.printf("  %-8s %s%n", what, where));
            ServerStatus.Replay r = status.get().replay();
            if (r != null && r.total() > 0) {
                out.printf("  spool replay: %d of %d messages left by the last run done%s%n", r.done(), r.total(),
                        r.isFinished() ? ", finished " + r.finished() : ", still going");
            }
        }
        out.flush();
        return 0;
    }
}
