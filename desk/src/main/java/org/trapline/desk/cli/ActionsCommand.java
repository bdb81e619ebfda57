package org.trapline.desk.cli;

import java.util.List;
import java.util.function.Supplier;

import org.trapline.desk.ActionFilter;
import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trapline actions [--pending] [--subscriber S] [--details | --json]}: the action journal, newest first. */
@Command(name = "actions", mixinStandardHelpOptions = true,
        description = "List enforcement actions (CoA, Disconnect, ACL, notice) and the brake's entries, newest first.")
public final class ActionsCommand extends DeskCommand {

    @Option(names = "--pending", description = "Only actions waiting for staff review.")
    boolean pending;

    @Option(names = "--subscriber", paramLabel = "SUBSCRIBER", description = "Only this subscriber's actions.")
    String subscriber;

    @Option(names = "--details", description = "Show request, NAS answer, retries and notes.")
    boolean details;

    @Option(names = "--json", description = "One JSON object per action per line, with every field of --details (snake_case).")
    boolean json;

    public ActionsCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        List<ActionView> actions = desk.actions(new ActionFilter(pending, subscriber), Integer.MAX_VALUE);
        for (ActionView a : actions) {
            out().print(json ? Json.write(a) + "\n" : details ? ActionText.details(a.action()) : ActionText.line(a.action()) + "\n");
        }
        if (actions.isEmpty()) {
            err().println(pending ? "no actions pending review" : "no actions");
        }
        out().flush();
        return OK;
    }
}
