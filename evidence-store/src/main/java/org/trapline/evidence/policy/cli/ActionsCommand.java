package org.trapline.evidence.policy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

import org.trapline.attribution.coa.SessionTarget;
import org.trapline.evidence.policy.ActionRecord;
import org.trapline.evidence.policy.ActionState;
import org.trapline.evidence.policy.Enforcement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trapline actions [--pending] [--subscriber S] [--details]}: the action journal, newest first. */
@Command(name = "actions", mixinStandardHelpOptions = true,
        description = "List enforcement actions (CoA, Disconnect, ACL, notice), newest first.")
public final class ActionsCommand extends PolicyCommand {

    @Option(names = "--pending", description = "Only actions waiting for staff review.")
    boolean pending;

    @Option(names = "--subscriber", paramLabel = "SUBSCRIBER", description = "Only this subscriber's actions.")
    String subscriber;

    @Option(names = "--details", description = "Show request, NAS answer, retries and notes.")
    boolean details;

    public ActionsCommand(Supplier<Properties> settings, Supplier<Path> dataDir) {
        this(settings, dataDir, s -> Optional.empty(), Clock.systemUTC());
    }

    public ActionsCommand(Supplier<Properties> settings, Supplier<Path> dataDir,
                          Function<String, Optional<SessionTarget>> currentSession, Clock clock) {
        super(settings, dataDir, currentSession, clock);
    }

    @Override
    int run(Enforcement enforcement) {
        List<ActionRecord> actions = subscriber == null ? enforcement.enforcer().journal().list(pending)
                : enforcement.enforcer().journal().forSubscriber(subscriber).stream()
                        .filter(a -> !pending || a.state() == ActionState.PENDING_REVIEW)
                        .sorted((x, y) -> Long.compare(y.id(), x.id())).toList();
        for (ActionRecord a : actions) out().print(details ? details(a) : line(a) + "\n");
        if (actions.isEmpty()) err().println(pending ? "no actions pending review" : "no actions");
        out().flush();
        return OK;
    }
}
