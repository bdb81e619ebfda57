package org.trapline.desk.view;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the desk hands to whoever shows it: a value with one JSON form. The command line's
 * {@code --json} and the web desk's API write that same form ({@link Json#write}), so a key is named,
 * and a missing value shown as null, in one place per view.
 */
public interface View {
    /** This view as a JSON object: snake_case keys, every key present, null where a value is missing. */
    ObjectNode json();
}
