package org.trapline.server.control;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/** Runs one command line inside the server for a client of the control socket. */
@FunctionalInterface
public interface CommandRunner {
    /**
     * @param argv the client's arguments, exactly as it was given them
     * @param cwd  the client's working directory: relative paths in {@code argv} are relative to it
     * @return the exit code the client exits with
     */
    int run(List<String> argv, Path cwd, InputStream stdin, OutputStream stdout, OutputStream stderr);
}
