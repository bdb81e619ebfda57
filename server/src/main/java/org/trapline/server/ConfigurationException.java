package org.trapline.server;

/** A problem the operator fixes in configuration or on the command line; its message says what to fix. */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
