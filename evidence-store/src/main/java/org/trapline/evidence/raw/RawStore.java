package org.trapline.evidence.raw;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Content-addressed store of raw messages: each distinct message is written once, under
 * {@code raw/ab/<sha256>}, and never rewritten. (One level of 256 directories: with two levels, as
 * earlier versions had, nearly every message of the first few hundred thousand created a directory, and
 * a mkdir costs the file system more than the message itself; ext4 indexes big directories.) A file appears under its final name only
 * complete and synced (temp file, fsync, atomic rename, fsync of the directory), so a crash leaves
 * either the whole message or nothing, never a torn file that a later write would skip.
 */
public final class RawStore {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String TEMP_PREFIX = ".incoming-";

    private final Path root;

    public RawStore(Path root) {
        this.root = root;
    }

    /** The store's root directory ({@code <data>/raw}). */
    public Path root() {
        return root;
    }

    /** Hex SHA-256 of the bytes: the message's name in this store. */
    public static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Stores the bytes unless a message with the same hash is already there, and returns the hash. With
     * {@code sync} it returns only once the bytes and the directory entry are on disk; without, the bytes
     * are written and renamed into place (safe against a process crash) but not fsynced: the caller makes
     * a batch durable later with {@link #sync(Collection)}, so that many messages share the disk flushes.
     *
     * @throws IOException when the store cannot write (read-only, full, ...)
     */
    public String put(byte[] raw, boolean sync) throws IOException {
        String sha = sha256(raw);
        Path target = pathOf(sha);
        if (Files.isRegularFile(target) && Files.size(target) == raw.length) {
            return sha;
        }
        Path dir = target.getParent();
        boolean newShard = false;
        Path temp;
        try {
            temp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
        } catch (NoSuchFileException firstInItsShard) {
            // Shards are made on demand; trying first saves two stat calls on every other message.
            Files.createDirectories(dir);
            newShard = true;
            temp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
        }
        boolean renamed = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(raw);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (sync) {
                    ch.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                renamed = true;
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system of " + dir + " cannot rename atomically", e);
            }
            if (sync) {
                syncDirectory(dir);
                if (newShard) {
                    // A new shard directory: its own entry must be durable too, or the file is unreachable.
                    syncDirectory(root);
                }
            }
        } finally {
            if (!renamed) {
                Files.deleteIfExists(temp);
            }
        }
        return sha;
    }

    /**
     * Makes messages stored with {@code put(raw, false)} durable: each file once, then each directory on
     * the way to them once, however many messages share it. Missing files (purged since) are skipped.
     */
    public void sync(Collection<String> sha256s) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String sha : sha256s) {
            Path file = pathOf(sha);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.force(false);
            } catch (NoSuchFileException gone) {
                continue;
            }
            dirs.add(file.getParent());
        }
        if (!dirs.isEmpty()) {
            dirs.add(root);
        }
        for (Path dir : dirs) {
            syncDirectory(dir);
        }
    }

    /** Opens the raw message with that hash, or empty when it is not kept (never stored, or purged). */
    public Optional<InputStream> open(String sha256) throws IOException {
        try {
            return Optional.of(Files.newInputStream(pathOf(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Reads the whole raw message, or empty when it is not kept. */
    public Optional<byte[]> read(String sha256) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(pathOf(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Whether a raw message with that hash is kept. */
    public boolean contains(String sha256) {
        return Files.isRegularFile(pathOf(sha256));
    }

    /** Removes a raw message (retention, subscriber purge); returns whether there was one. */
    public boolean delete(String sha256) throws IOException {
        Path p = pathOf(sha256);
        boolean deleted = Files.deleteIfExists(p);
        if (deleted) {
            syncDirectory(p.getParent());
        }
        return deleted;
    }

    /**
     * Moves messages kept in the two-level layout of earlier versions ({@code raw/ab/cd/<sha256>}) to
     * {@code raw/ab/<sha256>}; run by the store's owner at open. Returns how many it moved.
     */
    public int migrateTwoLevelLayout() throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int moved = 0;
        for (Path shard : list(root)) {
            if (!Files.isDirectory(shard)) {
                continue;
            }
            for (Path legacy : list(shard)) {
                if (!Files.isDirectory(legacy)) {
                    continue;
                }
                for (Path file : list(legacy)) {
                    String name = file.getFileName().toString();
                    if (SHA256_HEX.matcher(name).matches()) {
                        // Same name, same content: replacing a copy that is already there loses nothing.
                        Files.move(file, shard.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        moved++;
                    } else {
                        // a temp file never renamed: never part of the store
                        Files.deleteIfExists(file);
                    }
                }
                syncDirectory(shard);
                Files.delete(legacy);
            }
        }
        return moved;
    }

    private static java.util.List<Path> list(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }

    /** File that holds (or would hold) the message with that hash. */
    public Path pathOf(String sha256) {
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            // Hashes come from our own database, but a path must never be built from anything else.
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories for sync; the rename is still atomic there.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }
}
