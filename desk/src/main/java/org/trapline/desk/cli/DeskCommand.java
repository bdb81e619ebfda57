package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.DeskException;
import org.trapline.enforcement.StaffAct;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the staff commands share: the desk over the data directory's stores (opened by whoever owns the
 * directory, never closed here), the exit codes (0 done, also with an empty result; 1 not found; 2 bad
 * input, or a decision the journal refuses), and the one line a refusal prints.
 */
public abstract class DeskCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int BAD_INPUT = 2;
    /** How the terminal shows a time: UTC to the second. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Supplier<Desk> desk;

    @Spec
    CommandSpec spec;

    DeskCommand(Supplier<Desk> desk) {
        this.desk = desk;
    }

    /** The command's work on the desk; a {@link DeskException} it lets through becomes one line and its exit code. */
    abstract int run(Desk desk) throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return run(desk.get());
        } catch (DeskException e) {
            err().println("trapline: " + safe(e.getMessage()));
            return exitCode(e);
        }
    }

    static int exitCode(DeskException e) {
        return e.reason() == DeskException.Reason.NOT_FOUND ? NOT_FOUND : BAD_INPUT;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * The staff act of this command: {@code by} from the command line of the Unix user running it,
     * for {@code reason}.
     *
     * @throws DeskException BAD_INPUT for a blank name or an overlong reason
     */
    static StaffAct act(String by, String reason) {
        try {
            return new StaffAct(by, "cli:" + defaultStaff(), reason);
        } catch (IllegalArgumentException e) {
            throw new DeskException(DeskException.Reason.BAD_INPUT, e.getMessage());
        }
    }

    /** A decision that must say why: false, with the one line that says so, when {@code --reason} is missing. */
    boolean hasReason(String reason) {
        if (reason != null && !reason.isBlank()) {
            return true;
        }
        err().println("trapline: " + spec.name() + " needs --reason TEXT (why, for the journal and the audit)");
        err().flush();
        return false;
    }

    /** Who decides when {@code --by} is not given: the login name, as the journal should name someone. */
    static String defaultStaff() {
        return System.getProperty("user.name", "staff");
    }
}
