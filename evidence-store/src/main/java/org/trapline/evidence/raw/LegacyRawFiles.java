package org.trapline.evidence.raw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.trapline.common.log.FileIo;

/**
 * Raw messages as earlier versions kept them, one file per message named by its SHA-256
 * ({@code raw/ab/<sha256>}, before that {@code raw/ab/cd/<sha256>}). Only read, to move them into
 * {@link RawPacks} when the store's owner opens it, then removed.
 */
public final class LegacyRawFiles {
    private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");

    private final Path root;

    public LegacyRawFiles(Path root) {
        this.root = root;
    }

    /** Whether any shard directory of the old layouts is left. */
    public boolean present() throws IOException {
        return !shards().isEmpty();
    }

    /** The message with that hash in either old layout, or empty when neither has it. */
    public Optional<byte[]> read(String sha256) throws IOException {
        RawPacks.checkSha(sha256);
        Path shard = root.resolve(sha256.substring(0, 2));
        for (Path candidate : List.of(shard.resolve(sha256), shard.resolve(sha256.substring(2, 4)).resolve(sha256))) {
            try {
                return Optional.of(Files.readAllBytes(candidate));
            } catch (NoSuchFileException e) {
                // try the other layout
            }
        }
        return Optional.empty();
    }

    /** Removes the old layouts' directories with everything in them (after their messages were moved). */
    public void removeAll() throws IOException {
        for (Path shard : shards()) {
            try (Stream<Path> tree = Files.walk(shard)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        FileIo.syncDirectory(root);
    }

    private List<Path> shards() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> Files.isDirectory(p) && SHARD.matcher(p.getFileName().toString()).matches()).toList();
        }
    }
}
