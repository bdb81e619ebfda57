package org.trapline.enforcement.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.trapline.enforcement.ActionRecord;
import org.trapline.enforcement.ActionState;
import org.trapline.enforcement.Enforcement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trapline actions [--pending] [--subscriber S] [--details | --json]}: the action journal, newest first. */
@Command(name = "actions", mixinStandardHelpOptions = true,
        description = "List enforcement actions (CoA, Disconnect, ACL, notice) and the brake's entries, newest first.")
public final class ActionsCommand extends PolicyCommand {

    @Option(names = "--pending", description = "Only actions waiting for staff review.")
    boolean pending;

    @Option(names = "--subscriber", paramLabel = "SUBSCRIBER", description = "Only this subscriber's actions.")
    String subscriber;

    @Option(names = "--details", description = "Show request, NAS answer, retries and notes.")
    boolean details;

    @Option(names = "--json", description = "One JSON object per action per line, with every field of --details (snake_case).")
    boolean json;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ActionsCommand(Supplier<Enforcement> enforcement) {
        super(enforcement);
    }

    @Override
    int run(Enforcement enforcement) {
        List<ActionRecord> actions = subscriber == null ? enforcement.enforcer().journal().list(pending)
                : enforcement.enforcer().journal().forSubscriber(subscriber).stream()
                        .filter(a -> !pending || a.state() == ActionState.PENDING_REVIEW)
                        .sorted((x, y) -> Long.compare(y.id(), x.id())).toList();
        for (ActionRecord a : actions) out().print(json ? toJson(a) + "\n" : details ? details(a) : line(a) + "\n");
        if (actions.isEmpty()) err().println(pending ? "no actions pending review" : "no actions");
        out().flush();
        return OK;
    }

    /** Nulls stay in, so every line has the same keys; JSON escaping keeps control characters harmless. */
    static String toJson(ActionRecord a) {
        try {
            return JSON.writeValueAsString(toMap(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write action " + a.id() + " as JSON", e);
        }
    }

    /** An action as {@code --json} prints it, for the JSON of other commands (a case lists its actions). */
    public static Map<String, Object> toMap(ActionRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("created_at", text(a.createdAt()));
        m.put("type", a.type().name());
        m.put("state", a.state().name());
        m.put("subscriber", a.subscriber());
        m.put("outcome", a.outcome());
        m.put("rule", a.rule());
        m.put("target", a.target());
        m.put("attributes", a.attributes());
        m.put("mode", a.mode().text());
        m.put("actor", a.actor());
        m.put("hit_ids", a.hitIds());
        m.put("decided_by", a.decidedBy());
        m.put("decided_at", text(a.decidedAt()));
        m.put("nas", a.nas());
        m.put("attempts", a.attempts());
        m.put("retries", a.retries());
        m.put("error_cause", a.errorCause());
        m.put("request", a.request());
        m.put("answer", a.answer());
        m.put("note", a.note());
        m.put("finished_at", text(a.finishedAt()));
        m.put("held_reason", a.heldReason());
        m.put("retry_of", a.retryOf());
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
