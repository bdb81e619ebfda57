package org.trapline.evidence.search;

/** A desk query that cannot be understood; the message says what to fix. */
public class QuerySyntaxException extends RuntimeException {
    public QuerySyntaxException(String message) {
        super(message);
    }
}
