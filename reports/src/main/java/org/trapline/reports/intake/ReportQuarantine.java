package org.trapline.reports.intake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.trapline.common.TerminalText;

/**
 * Reports that could not be read, kept byte for byte with their reason under
 * {@code <data>/reports/quarantine/}: {@code <sha256>.eml} the report as received and
 * {@code <sha256>.reason} ({@code source:} where it came from, {@code reason:} the one line), both 0600
 * in 0700 directories, each written to a temporary name, synced and renamed, so a crash leaves the old
 * state or the new one. Keyed by the report's own SHA-256: the same report twice is kept once. Nothing
 * here deletes: a quarantined report goes only when staff remove it.
 */
public final class ReportQuarantine {
    private final Path directory;

    public ReportQuarantine(Path dataDir) {
        this.directory = dataDir.resolve("reports").resolve("quarantine");
    }

    /** A report kept in the quarantine. */
    public record Kept(Path report, String source, String reason) {
    }

    public Path directory() {
        return directory;
    }

    /**
     * Keeps a report with its reason; returns the path of the kept report.
     *
     * @throws IOException when it cannot be written (the caller must not count the report as handled)
     */
    public Path keep(byte[] raw, String source, String reason) throws IOException {
        createPrivateDirectories();
        String sha = sha256(raw);
        Path report = directory.resolve(sha + ".eml");
        if (!Files.exists(report)) {
            writeAtomically(report, raw);
        }
        Path why = directory.resolve(sha + ".reason");
        if (!Files.exists(why)) {
            String text = "source: " + oneLine(source) + "\nreason: " + oneLine(reason) + "\n";
            writeAtomically(why, text.getBytes(StandardCharsets.UTF_8));
        }
        syncDirectory();
        return report;
    }

    /** Every kept report, by name. */
    public List<Kept> list() throws IOException {
        List<Kept> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        List<Path> reports = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, "*.eml")) {
            s.forEach(reports::add);
        }
        reports.sort(null);
        for (Path r : reports) {
            String name = r.getFileName().toString();
            Path why = directory.resolve(name.substring(0, name.length() - 4) + ".reason");
            String source = null;
            String reason = null;
            if (Files.exists(why)) {
                for (String line : Files.readAllLines(why, StandardCharsets.UTF_8)) {
                    if (line.startsWith("source: ")) {
                        source = line.substring(8);
                    } else if (line.startsWith("reason: ")) {
                        reason = line.substring(8);
                    }
                }
            }
            out.add(new Kept(r, source, reason));
        }
        return out;
    }

    private void createPrivateDirectories() throws IOException {
        for (Path d : List.of(directory.getParent(), directory)) {
            try {
                Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException exists) {
                // made before: its mode is the one it was made with
            }
        }
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = directory.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a crash's leftover: the target it was for was never renamed into place
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return TerminalText.safe(s.replace('\n', ' ').replace('\r', ' '));
    }

    private static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
