package org.trapline.evidence.policy.cli;

import java.util.List;
import java.util.function.Supplier;

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

    public ActionsCommand(Supplier<Enforcement> enforcement) {
        super(enforcement);
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
