package org.trapline.desk.view;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A lifted block: the subscriber and the actions the lifting journaled (the restoring CoA, when a
 * session was fenced); strikes are reset and pending actions dismissed.
 */
public record UnblockView(String subscriber, List<ActionView> actions) implements View {
    public UnblockView {
        actions = List.copyOf(actions);
    }

    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("subscriber", subscriber);
        Json.views(m, "actions", actions);
        return m;
    }
}
