package org.trapline.desk.view;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A block staff put on by hand: the standing it left and the actions it journaled (the fence of the
 * subscriber's current session, when they were online).
 */
public record BlockView(String subscriber, Standing standing, List<ActionView> actions) implements View {
    public BlockView {
        actions = List.copyOf(actions);
    }

    /** {@code {subscriber, standing: {as case --json}, actions: [as actions --json]}}. */
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("subscriber", subscriber);
        m.set("standing", standing.json());
        Json.views(m, "actions", actions);
        return m;
    }
}
