package org.trapline.web.api;

import java.util.List;

import org.trapline.desk.view.View;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A list of views under one key, {@code {"actions": [...]}}: each item in its view's one JSON form. */
record Listing(String key, List<? extends View> items) implements View {
    @Override
    public ObjectNode json() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        items.forEach(v -> m.withArray(key).add(v.json()));
        if (items.isEmpty()) {
            m.putArray(key);
        }
        return m;
    }
}
