package org.trapline.web;

/**
 * The desk turns a request down with an HTTP status and one line fit to show: the API answers
 * {@code {"error": line}}, a page shows the line.
 */
public final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public Refusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
