package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.util.List;
import java.util.function.Supplier;

import org.trapline.desk.ActionFilter;
import org.trapline.desk.Desk;
import org.trapline.desk.view.ActionView;
import org.trapline.desk.view.Json;
import org.trapline.desk.view.UnattributedView;
import org.trapline.enforcement.UnattributedHit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trapline actions [--pending] [--subscriber S] [--details | --json]}: the action journal, newest
 * first. As text, {@code --pending} also lists the newest hits that named nobody for a fault (no origin
 * hop, no usable time), which wait for no decision but should be seen.
 */
@Command(name = "actions", mixinStandardHelpOptions = true,
        description = "List enforcement actions (CoA, Disconnect, ACL, notice) and the brake's entries, newest first.")
public final class ActionsCommand extends DeskCommand {
    /** Faulty hits listed under the pending actions: enough to see a fault, not a flood of them. */
    static final int FAULTY_HITS = 20;

    @Option(names = "--pending", description = "Only actions waiting for staff review; as text, then the newest hits that"
            + " named nobody for a fault (no origin hop, no usable time), never acted on.")
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
        if (pending && !json && subscriber == null) {
            List<UnattributedView> faulty = desk.faultyHits(FAULTY_HITS);
            if (!faulty.isEmpty()) {
                out().println("hits that named nobody for a fault, listed for review and never acted on (newest "
                        + (faulty.size() < FAULTY_HITS ? faulty.size() : FAULTY_HITS + ", more may wait") + "):");
                for (UnattributedView h : faulty) {
                    UnattributedHit u = h.hit();
                    out().println(String.format("hit %-8s %s  %-10s %-16s %s", safe(u.hitId()), u.at(), u.attribution(),
                            u.originIp() == null ? "-" : safe(u.originIp()), u.reason()));
                }
            }
        }
        out().flush();
        return OK;
    }
}
