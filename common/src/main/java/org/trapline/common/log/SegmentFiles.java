package org.trapline.common.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A directory of numbered segment files, {@code <number><suffix>} with the number zero-padded to a fixed
 * width. Files of other names are left alone.
 */
public final class SegmentFiles {
    /** Opens a segment file; tests wrap the channels to make reads short or writes fail. */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path file, OpenOption... options) throws IOException;
    }

    private final Path dir;
    private final String suffix;
    private final int digits;
    private final Opener opener;
    private final Pattern name;

    public SegmentFiles(Path dir, String suffix, int digits) {
        this(dir, suffix, digits, FileChannel::open);
    }

    public SegmentFiles(Path dir, String suffix, int digits, Opener opener) {
        this.dir = dir;
        this.suffix = suffix;
        this.digits = digits;
        this.opener = opener;
        this.name = Pattern.compile("\\d{" + digits + "}" + Pattern.quote(suffix));
    }

    public Path directory() {
        return dir;
    }

    public Path path(long number) {
        return dir.resolve(String.format("%0" + digits + "d", number) + suffix);
    }

    /** The numbers of the segments on disk, ascending (none when the directory does not exist). */
    public List<Long> numbers() throws IOException {
        List<Long> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path p : stream) {
                String n = p.getFileName().toString();
                if (name.matcher(n).matches()) {
                    found.add(Long.parseLong(n.substring(0, digits)));
                }
            }
        }
        found.sort(null);
        return found;
    }

    /**
     * Creates a new, empty segment (it must not exist). With {@code syncDirectory} its name is durable when
     * this returns; without, the caller syncs the directory (see {@link #syncDirectory()}) before any
     * record in it counts as durable.
     */
    public FileChannel create(long number, boolean syncDirectory) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = opener.open(path(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (syncDirectory) {
            try {
                syncDirectory();
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }
        return ch;
    }

    public FileChannel open(long number, OpenOption... options) throws IOException {
        return opener.open(path(number), options);
    }

    public void syncDirectory() throws IOException {
        FileIo.syncDirectory(dir);
    }

    /** Deletes a segment (and nothing else); true if it was there. */
    public boolean delete(long number) throws IOException {
        return Files.deleteIfExists(path(number));
    }
}
