package org.trapline.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.security.auth.module.UnixSystem;

/**
 * Shared secrets (RADIUS client secrets, CoA secrets, later database passwords) never stand in
 * {@code trapline.properties}, which is meant to be readable and diffable: each {@code KEY-file} setting
 * names a file, relative to the conf directory, whose first line is the secret (the format of
 * {@code radclient -S}). The file must be readable by the Trapline user only: owned by it with no
 * group or other bits (0600), or owned by root and readable by one of its groups only (0640
 * root:trapline, as packages install them). Anything else stops the start with the fix.
 *
 * <p>A missing secret file of a loopback RADIUS client is created with a random secret: that is how a
 * fresh checkout's first {@code bin/trapline run} works without a secret every reader of the README knows.
 */
final class Secrets {
    static final String FILE_SUFFIX = "-file";
    private static final Logger LOG = LoggerFactory.getLogger(Secrets.class);
    private static final String RADIUS_CLIENT = "attribution.radius.client.";

    private Secrets() {
    }

    /** Whether a key would hold a secret value itself. */
    static boolean isSecretValue(String key) {
        return key.endsWith(".secret") || key.endsWith(".password");
    }

    /** Refuses secrets written into the settings file itself. */
    static void refuseInline(Properties settings) {
        List<String> inline = settings.stringPropertyNames().stream().filter(Secrets::isSecretValue).sorted().toList();
        if (!inline.isEmpty()) {
            throw new ConfigurationException(Instance.SETTINGS_FILE + ": " + inline.get(0) + " holds a secret in the settings file; "
                    + "write the secret to a file only Trapline can read (chmod 600) and set " + inline.get(0) + FILE_SUFFIX + "=FILE instead");
        }
    }

    /** Puts the contents of every {@code KEY-file} into {@code settings} as {@code KEY}, where the modules look for it. */
    static void resolve(Properties settings, Path confDir) {
        List<String> keys = new ArrayList<>(settings.stringPropertyNames().stream()
                .filter(k -> isSecretValue(k.substring(0, Math.max(0, k.length() - FILE_SUFFIX.length()))) && k.endsWith(FILE_SUFFIX))
                .sorted().toList());
        for (String key : keys) {
            String value = settings.getProperty(key).strip();
            if (value.isEmpty()) {
                continue;
            }
            Path file = confDir.resolve(value);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && isLoopbackRadiusClient(key)) {
                create(file, key);
            }
            settings.setProperty(key.substring(0, key.length() - FILE_SUFFIX.length()), read(file, key));
        }
    }

    private static boolean isLoopbackRadiusClient(String key) {
        if (!key.startsWith(RADIUS_CLIENT)) {
            return false;
        }
        String client = key.substring(RADIUS_CLIENT.length(), key.length() - ".secret-file".length());
        int slash = client.indexOf('/');
        String address = slash < 0 ? client : client.substring(0, slash);
        try {
            // A literal only: never a name lookup.
            return (address.matches("[0-9.]+") || address.contains(":")) && InetAddress.getByName(address).isLoopbackAddress();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void create(Path file, String key) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, (secret + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new ConfigurationException(key + ": cannot create " + file + " (" + e.getMessage() + "); write a secret to it yourself (chmod 600)");
        }
        LOG.info("{}: no secret file yet, so {} was made with a random secret for this loopback RADIUS client "
                + "(radclient -S {} ...)", key, file, file);
    }

    private static String read(Path file, String key) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (IOException e) {
            throw new ConfigurationException(key + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        checkPrivate(file, key, attributes);
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new ConfigurationException(key + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (secret.isEmpty()) {
            throw new ConfigurationException(key + ": " + file + " is empty; write the secret on its first line");
        }
        return secret;
    }

    private static void checkPrivate(Path file, String key, PosixFileAttributes a) {
        Set<PosixFilePermission> p = a.permissions();
        String mode = PosixFilePermissions.toString(p);
        boolean othersRead = p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE);
        boolean groupAny = p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.GROUP_WRITE);
        long owner = uid(file);
        long group = gid(file);
        UnixSystem me = new UnixSystem();
        boolean mine = owner == me.getUid();
        boolean inMyGroups = me.getGid() == group || Arrays.stream(me.getGroups()).anyMatch(g -> g == group);
        boolean rootsForMyGroup = owner == 0 && inMyGroups && !p.contains(PosixFilePermission.GROUP_WRITE);
        if (othersRead) {
            throw new ConfigurationException(key + ": " + file + " can be read by other users (" + mode + "); run: chmod 600 " + file);
        }
        if (mine && groupAny) {
            throw new ConfigurationException(key + ": " + file + " can be read by its group (" + mode + "); run: chmod 600 " + file);
        }
        if (!mine && !rootsForMyGroup) {
            throw new ConfigurationException(key + ": " + file + " belongs to another user (uid " + owner + "); make it the Trapline "
                    + "user's (chown, chmod 600) or root's with Trapline's group (chmod 640)");
        }
    }

    private static long uid(Path file) {
        return unixAttribute(file, "unix:uid");
    }

    private static long gid(Path file) {
        return unixAttribute(file, "unix:gid");
    }

    private static long unixAttribute(Path file, String name) {
        try {
            return ((Number) Files.getAttribute(file, name)).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigurationException("cannot read the owner of " + file + ": " + e.getMessage());
        }
    }
}
