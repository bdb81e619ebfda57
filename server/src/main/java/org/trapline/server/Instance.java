package org.trapline.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * One Trapline installation: a configuration directory and a data directory. Several instances can run
 * side by side (tests do) because nothing outside these two directories is read or written.
 *
 * @param confDir holds {@code trapline.properties} and James's XML files
 * @param dataDir holds the spool, databases, raw messages and index
 */
public record Instance(Path confDir, Path dataDir) {
    public static final String SETTINGS_FILE = "trapline.properties";
    /** Set in the loaded settings: the conf directory, against which relative paths resolve. */
    public static final String CONF_DIR_PROPERTY = "trapline.conf.dir";

    public Instance {
        confDir = confDir.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Loads {@code trapline.properties}; a missing or unreadable file is a configuration error. */
    public Properties settings() {
        Path file = confDir.resolve(SETTINGS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("no " + SETTINGS_FILE + " in " + confDir + " (point --conf at Trapline's conf directory)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("cannot read " + file + ": " + e.getMessage());
        }
        // Relative paths in settings (static assignments, TLS files, ...) are relative to the conf dir.
        p.setProperty(CONF_DIR_PROPERTY, confDir.toString());
        return p;
    }

    /** Creates the data directory if needed and proves it writable, so failures come early and clearly. */
    public void prepareDataDir() {
        try {
            Files.createDirectories(dataDir);
            Path probe = Files.createTempFile(dataDir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException("data directory " + dataDir + " is not writable (" + e.getMessage()
                    + "); fix its permissions or choose another with --data");
        }
    }
}
