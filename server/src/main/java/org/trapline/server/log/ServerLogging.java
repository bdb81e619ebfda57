package org.trapline.server.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Properties;

import org.slf4j.LoggerFactory;
import org.trapline.server.ConfigurationException;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;

/**
 * Where {@code bin/trapline run} logs: {@code conf/logback.xml} with a rolling file under the data
 * directory, and stdout only when it is a terminal (a service's stdout goes to a journal that the file
 * already holds; a person at a terminal wants to see the start). The command line's other commands keep
 * the class path's logback.xml: warnings on stderr, stdout left to their data.
 *
 * @param file    the log file, or null for none ({@code log.file=off})
 * @param console whether events also go to stdout
 * @param json    one JSON object per line instead of text ({@code log.format=json})
 */
public record ServerLogging(Path file, boolean console, boolean json) {
    public static final String CONFIG_FILE = "logback.xml";

    /**
     * The logging {@code trapline.properties} asks for: {@code log.file} (a path, relative to the data
     * directory, or {@code off}; default {@code log/trapline.log}), {@code log.console} ({@code auto},
     * {@code on}, {@code off}) and {@code log.format} ({@code text}, {@code json}).
     */
    public static ServerLogging from(Properties p, Path dataDir, boolean terminal) {
        String file = p.getProperty("log.file", "log/trapline.log").strip();
        String console = p.getProperty("log.console", "auto").strip().toLowerCase(Locale.ROOT);
        String format = p.getProperty("log.format", "text").strip().toLowerCase(Locale.ROOT);
        boolean toConsole = switch (console) {
            case "auto" -> terminal;
            case "on" -> true;
            case "off" -> false;
            default -> throw new ConfigurationException("log.console must be auto, on or off, not '" + console + "'");
        };
        boolean json = switch (format) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new ConfigurationException("log.format must be text or json, not '" + format + "'");
        };
        if (file.isEmpty()) {
            throw new ConfigurationException("log.file must be a path or off");
        }
        return new ServerLogging(file.equalsIgnoreCase("off") ? null : dataDir.resolve(file).toAbsolutePath().normalize(), toConsole, json);
    }

    /**
     * Replaces the class path's logging with {@code confDir/logback.xml} filled in from these settings; without
     * that file logging stays as it is.
     *
     * @throws ConfigurationException when the log directory cannot be made or the file does not configure
     */
    public void apply(Path confDir) {
        Path config = confDir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(config)) {
            return;
        }
        if (file != null) {
            try {
                Path dir = file.getParent();
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                if (!Files.exists(file)) {
                    // Created private before logback appends to it, whatever the JVM's umask.
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
            } catch (IOException e) {
                throw new ConfigurationException("cannot write the log file " + file + " (log.file): " + e.getMessage());
            }
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("TRAPLINE_LOG_FILE", file == null ? "" : file.toString());
        context.putProperty("TRAPLINE_CONSOLE", console ? (json ? "CONSOLE_JSON" : "CONSOLE") : "NONE");
        context.putProperty("TRAPLINE_FILE", file == null ? "NONE" : json ? "FILE_JSON" : "FILE");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        long since = System.currentTimeMillis();
        try {
            configurator.doConfigure(config.toFile());
        } catch (JoranException e) {
            throw new ConfigurationException(config + " does not configure logging: " + e.getMessage());
        }
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            if (s.getLevel() == Status.ERROR && s.getDate() >= since) {
                throw new ConfigurationException(config + ": " + s.getMessage());
            }
        }
    }

    /** Where events go, for the start line. */
    public String describe() {
        String to = file == null ? "no file" : file.toString();
        return to + (console ? " and stdout" : "") + (json ? " (JSON lines)" : "");
    }
}
