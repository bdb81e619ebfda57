package org.trapline.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** The data directory of a conf directory, relative to it; without it {@value #DEFAULT_DATA_DIR}. */
    public static final String DATA_DIR_KEY = "data.dir";
    static final String DEFAULT_DATA_DIR = "../data";

    private static final Logger LOG = LoggerFactory.getLogger(Instance.class);
    private static final Set<PosixFilePermission> OTHERS_AND_GROUP = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    public Instance {
        confDir = confDir.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * The installation of a conf directory: its data directory is {@code dataDir} when given, else the
     * {@value #DATA_DIR_KEY} of its settings (relative to the conf directory), never the working directory.
     */
    public static Instance of(Path confDir, Path dataDir) {
        if (dataDir != null) {
            return new Instance(confDir, dataDir);
        }
        Path conf = confDir.toAbsolutePath().normalize();
        String configured = load(conf).getProperty(DATA_DIR_KEY, "").strip();
        return new Instance(conf, conf.resolve(configured.isEmpty() ? DEFAULT_DATA_DIR : configured));
    }

    /**
     * Loads {@code trapline.properties}: a missing or unreadable file, an unknown key (named with the
     * nearest known one) or a secret that others could read is a configuration error. Each
     * {@code KEY-file} secret is read into {@code KEY}.
     */
    public Properties settings() {
        Properties p = load(confDir);
        Secrets.refuseInline(p);
        SettingsCatalog catalog = SettingsCatalog.load();
        List<String> unknown = p.stringPropertyNames().stream().sorted().filter(k -> !catalog.knows(k)).toList();
        if (!unknown.isEmpty()) {
            StringBuilder b = new StringBuilder(SETTINGS_FILE + ": unknown setting");
            b.append(unknown.size() == 1 ? " " : "s ");
            for (int i = 0; i < unknown.size(); i++) {
                String key = unknown.get(i);
                b.append(i == 0 ? "" : ", ").append(key);
                if (catalog.renamedTo(key).isPresent()) {
                    b.append(" (").append(key).append(" is now ").append(catalog.renamedTo(key).get()).append(": rename it)");
                    continue;
                }
                String hint = catalog.nearest(key).orElse(null);
                if (hint != null) {
                    b.append(" (did you mean ").append(hint).append("?)");
                }
            }
            throw new ConfigurationException(b.append(" in ").append(confDir).toString());
        }
        Secrets.resolve(p, confDir);
        // Relative paths in settings (static assignments, TLS files, ...) are relative to the conf dir.
        p.setProperty(CONF_DIR_PROPERTY, confDir.toString());
        return p;
    }

    private static Properties load(Path confDir) {
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
        return p;
    }

    /** For commands that read data: the data directory must be there; they never create one. */
    public void requireDataDir() {
        if (!Files.isDirectory(dataDir)) {
            throw new ConfigurationException("no data directory " + dataDir + " (" + DATA_DIR_KEY + " of " + confDir.resolve(SETTINGS_FILE)
                    + "); pass --data DIR, or start the server once to create it");
        }
    }

    /**
     * Creates the data directory if needed (mode 0700) and proves it writable, without looking at what is
     * in it: what a server's start needs before its log may go there.
     */
    public void ensureDataDir() {
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path probe = Files.createTempFile(dataDir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException("data directory " + dataDir + " is not writable (" + e.getMessage()
                    + "); fix its permissions or choose another with --data");
        }
    }

    /**
     * Creates the data directory if needed (mode 0700), proves it writable and takes group and other
     * access away from everything in it, as an older version or a wider umask may have left it: the
     * databases and raw evidence are for the Trapline user only.
     */
    public void prepareDataDir() {
        ensureDataDir();
        long tightened = 0;
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (perms.removeAll(OTHERS_AND_GROUP)) {
                    Files.setPosixFilePermissions(p, perms);
                    tightened++;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigurationException("cannot restrict access to " + dataDir + " (" + e.getMessage()
                    + "); run: chmod -R go-rwx " + dataDir);
        }
        if (tightened > 0) {
            LOG.info("data directory {}: took group and other access away from {} files and directories", dataDir, tightened);
        }
    }
}
