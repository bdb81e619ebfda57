package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.trapline.desk.Desk;
import org.trapline.desk.view.BrakeView;
import org.trapline.enforcement.BrakeStatus;
import org.trapline.enforcement.PolicySettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline brake on|off|status [--by USER] [--reason TEXT]}: turn every automatic action to
 * review at once (persisted in the policy database: the server holds back from its next decision on,
 * and after a restart), back, or show the brake. Exit 0 when done, 2 when the switch already is where
 * it was asked to go.
 */
@Command(name = "brake", mixinStandardHelpOptions = true, description = {
        "Turn every automatic action to review at once (on), let them run again (off), or show the brake (status).",
        "Restores (lifting blocks) always run. The hourly limits action.brake.* apply whether the switch is on or off."})
public final class BrakeCommand extends DeskCommand {

    @Parameters(paramLabel = "on|off|status", description = "What to do.")
    String what;

    @Option(names = "--by", paramLabel = "USER", description = "Staff user recorded in the journal (default: login name).")
    String by = defaultStaff();

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the journal, the audit and the staff mail.")
    String reason = "";

    public BrakeCommand(Supplier<Desk> desk) {
        super(desk);
    }

    @Override
    int run(Desk desk) {
        switch (what.toLowerCase(Locale.ROOT)) {
            case "on" -> out().print(ActionText.details(desk.brakeOn(act(by, reason)).action()));
            case "off" -> out().print(ActionText.details(desk.brakeOff(act(by, reason)).action()));
            case "status" -> printStatus(desk.brake());
            default -> {
                err().println("trapline: brake takes on, off or status, not '" + safe(what) + "'");
                return BAD_INPUT;
            }
        }
        out().flush();
        return OK;
    }

    private void printStatus(BrakeView view) {
        BrakeStatus s = view.status();
        out().println("switch:    " + s.switched().map(e -> "on since " + e.since() + " by " + safe(e.by())
                + (e.reason().isEmpty() ? "" : ": " + safe(e.reason()))).orElse("off"));
        PolicySettings.Brake b = s.settings();
        out().println("limits:    " + (b.perNasPerHour() == 0 ? "none per NAS" : b.perNasPerHour() + " automatic actions per NAS per hour")
                + ", " + (b.totalPerHour() == 0 ? "none in all" : b.totalPerHour() + " in all") + " (action.brake.*); staff told at "
                + (b.notifyAddress() == null ? "nobody (action.brake.notify is blank)" : b.notifyAddress()));
        out().println("last hour: " + s.lastHour() + " automatic actions" + (s.perNas().isEmpty() ? "" : "; "
                + s.perNas().entrySet().stream().map(BrakeCommand::perNas).collect(Collectors.joining(", "))));
        if (s.limits().isEmpty()) {
            out().println("engaged:   no limit");
        }
        for (BrakeStatus.Engagement e : s.limits()) {
            String scope = e.scope().startsWith("nas:") ? "NAS " + e.scope().substring(4) : "all NASes";
            out().println("engaged:   " + safe(scope) + " since " + e.since() + " (" + safe(e.reason()) + ")");
        }
        int pending = view.pending();
        out().println("pending:   " + pending + " action" + (pending == 1 ? "" : "s") + " wait for review (trapline actions --pending)");
    }

    private static String perNas(Map.Entry<String, Integer> e) {
        return "NAS " + safe(e.getKey()) + ": " + e.getValue();
    }
}
