package org.trapline.server;

import java.nio.file.Path;
import java.util.function.Supplier;

/** A problem the operator fixes in configuration or on the command line; its message says what to fix. */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    /** Opens a store; a failure other than a configuration one says which store, in which directory, and why. */
    static <T> T whileOpening(String what, Path dataDir, Supplier<T> opener) {
        try {
            return opener.get();
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigurationException("cannot open the " + what + " in " + dataDir + ": " + e.getMessage());
        }
    }
}
