package org.trapline.server.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Properties;

import org.trapline.server.DataAccess;
import org.trapline.server.Instance;

/**
 * What a command line runs against: the settings, the stores of the data directory and the standard
 * streams. {@link LocalContext} when the command runs in its own process; the running server's when its
 * control socket runs the command inside it.
 */
public interface CommandContext {
    /** The settings in force: the server's own, or those of the conf directory the command names. */
    Properties settings(Instance instance);

    DataAccess data(Instance instance);

    InputStream stdin();

    /** Standard output as bytes, for commands that write raw messages. */
    OutputStream stdout();

    /** Whether the command runs inside the server that owns the data directory. */
    boolean insideServer();
}
