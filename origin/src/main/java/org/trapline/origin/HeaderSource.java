package org.trapline.origin;

import java.util.List;

/**
 * Header values of one message by case-insensitive name, in message order (top first: for
 * Received, newest first). The mailet adapts a MimeMessage to this; {@link MessageHeaders} reads raw
 * bytes. Implementations return an empty list, never null, for an absent header.
 */
@FunctionalInterface
public interface HeaderSource {

    /** All values of the named header, top of the message first. */
    List<String> values(String name);
}
