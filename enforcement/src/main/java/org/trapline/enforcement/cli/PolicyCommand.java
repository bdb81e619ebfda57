package org.trapline.enforcement.cli;

import static org.trapline.common.TerminalText.safe;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.common.TerminalText;
import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.Enforcement;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the policy commands share: enforcement on the data directory's policy database (opened by
 * whoever owns the data directory, never closed here), printing actions, exit codes.
 */
public abstract class PolicyCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int BAD_INPUT = 2;

    private final Supplier<Enforcement> enforcement;

    @Spec
    CommandSpec spec;

    PolicyCommand(Supplier<Enforcement> enforcement) {
        this.enforcement = enforcement;
    }

    @Override
    public final Integer call() {
        return run(enforcement.get());
    }

    abstract int run(Enforcement enforcement);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** One line per action: id, time, type, state, subscriber, outcome, then the rule. */
    public static String line(ActionRecord a) {
        return String.format("%-6d %s  %-10s %-14s %-20s %-40s %s", a.id(), a.createdAt(), a.type(), a.state(),
                safe(a.subscriber()), safe(a.outcome()), safe(a.rule()));
    }

    /** Everything journaled about one action, for confirm/dismiss and {@code actions --details}. */
    static String details(ActionRecord a) {
        StringBuilder b = new StringBuilder(line(a)).append('\n');
        field(b, "target", a.target());
        field(b, "attributes", a.attributes());
        field(b, "mode", a.mode().text());
        field(b, "actor", a.actor());
        field(b, "hits", String.join(",", a.hitIds()));
        field(b, "decided", a.decidedBy() == null ? null : a.decidedBy() + " at " + a.decidedAt());
        field(b, "nas", a.nas());
        field(b, "retries", a.retries() == null ? null : a.retries().toString());
        field(b, "request", a.request());
        field(b, "answer", a.answer());
        field(b, "note", a.note());
        field(b, "finished", a.finishedAt() == null ? null : a.finishedAt().toString());
        return b.toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null || value.isEmpty()) return;
        b.append("       ").append(name).append(": ");
        b.append(String.join("\n         ", value.lines().map(TerminalText::safe).toList())).append('\n');
    }

    static String defaultStaff() {
        return System.getProperty("user.name", "staff");
    }

    /** Carries out a staff decision on action {@code id} and prints the action as it ends up. */
    int decide(long id, java.util.function.Supplier<ActionRecord> decision) {
        try {
            out().print(details(decision.get()));
            out().flush();
            return OK;
        } catch (java.util.NoSuchElementException e) {
            err().println("trapline: no action " + id);
            return NOT_FOUND;
        } catch (IllegalStateException | IllegalArgumentException e) {
            err().println("trapline: " + e.getMessage());
            return BAD_INPUT;
        }
    }
}