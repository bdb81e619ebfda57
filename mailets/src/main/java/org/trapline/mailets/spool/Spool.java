package org.trapline.mailets.spool;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable intake spool: every message is written here, fsynced and atomically renamed into place
 * <em>before</em> the MX answers 250, and released only once the pipeline is done with it. After a crash
 * the files left here are exactly the messages that were acknowledged but not yet finished, so replaying
 * them loses nothing; the intake key makes a replay of an already finished message harmless downstream.
 *
 * <p>Layout under the spool directory: {@code <key>.spool} (pending), {@code quarantine/<key>.spool}
 * plus {@code quarantine/<key>.reason} (messages the pipeline could not handle, kept for staff), and
 * short-lived {@code *.tmp} files that never count as accepted.
 *
 * <p>File format: a header block of {@code name value} lines (values URL-encoded, UTF-8), an empty
 * line, then the raw message bytes untouched.
 */
public final class Spool {
    private static final String MAGIC = "trapline-spool 1";
    private static final String SUFFIX = ".spool";

    private final Path dir;
    private final Path quarantine;
    private final AtomicLong renames = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final long maxPending;
    private final GroupSync directorySync;

    /** A spool without a backlog limit. */
    public Spool(Path dir) {
        this(dir, Long.MAX_VALUE);
    }

    /**
     * @param maxPending most messages accepted but not yet finished; beyond it {@link #write} refuses
     *                   with {@link SpoolFullException} so the MX answers 451 instead of piling up
     *                   messages faster than the pipeline stores them
     */
    public Spool(Path dir, long maxPending) {
        this.dir = dir;
        this.quarantine = dir.resolve("quarantine");
        this.maxPending = maxPending;
        this.directorySync = new GroupSync(() -> syncDirectory(dir), renames::get);
    }

    /** Thrown by {@link #write} when the backlog limit is reached; the client should retry later. */
    public static final class SpoolFullException extends IOException {
        private static final long serialVersionUID = 1L;

        SpoolFullException(long pending) {
            super(pending + " messages are waiting for the pipeline");
        }
    }

    /** Creates the directories; fails when they cannot be created or written. */
    public void open() throws IOException {
        Files.createDirectories(quarantine);
        if (!Files.isWritable(dir)) {
            throw new IOException("spool directory is not writable: " + dir);
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path tmp : leftovers) {
                // A temp file was never renamed, so its message was never acknowledged.
                Files.deleteIfExists(tmp);
            }
        }
        long waiting = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path ignored : files) {
                waiting++;
            }
        }
        pending.set(waiting);
    }

    /** Messages accepted and not yet released or quarantined. */
    public long pendingCount() {
        return pending.get();
    }

    public Path directory() {
        return dir;
    }

    /** The identity of an intake: SHA-256 over envelope sender, recipients and the raw bytes. */
    public static String intakeKey(String sender, List<String> recipients, byte[] raw) {
        MessageDigest sha = sha256();
        sha.update(sender.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        for (String rcpt : recipients) {
            sha.update(rcpt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update((byte) 0);
        sha.update(raw);
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Makes the message durable and returns it with its intake key. When this returns, the message
     * survives kill -9 and power loss (as far as fsync promises); when it throws, nothing was accepted.
     */
    public SpooledMessage write(Envelope envelope, byte[] raw) throws IOException {
        String key = intakeKey(envelope.sender(), envelope.recipients(), raw);
        Path target = pendingFile(key);
        if (Files.exists(target)) {
            // The same intake is already waiting: a client retry of a message we accepted before.
            return new SpooledMessage(key, envelope, raw);
        }
        if (pending.get() >= maxPending) {
            throw new SpoolFullException(pending.get());
        }
        Path tmp = dir.resolve(key + "." + Thread.currentThread().getId() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(header(envelope)));
            writeFully(ch, ByteBuffer.wrap(raw));
            // fdatasync: the data and the size needed to read it back, without the mtime.
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        pending.incrementAndGet();
        directorySync.syncCovering(renames.incrementAndGet());
        return new SpooledMessage(key, envelope, raw);
    }

    /**
     * Forgets a finished message. Releasing a key twice, or one never spooled, is harmless. The deletion
     * is not fsynced: if a crash undoes it, the message is replayed and the idempotent pipeline ignores it.
     */
    public void release(String intakeKey) throws IOException {
        if (Files.deleteIfExists(pendingFile(checkKey(intakeKey)))) {
            pending.decrementAndGet();
        }
    }

    /**
     * Moves a message the pipeline could not handle out of the replay path, keeping its bytes and the
     * reason for staff. The reason is written first, so a crash in between leaves it pending, not lost.
     */
    public void quarantine(String intakeKey, String reason) throws IOException {
        checkKey(intakeKey);
        Path reasonFile = quarantine.resolve(intakeKey + ".reason");
        Files.writeString(reasonFile, Instant.now() + " " + reason + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        try {
            Files.move(pendingFile(intakeKey), quarantine.resolve(intakeKey + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException alreadyGone) {
            return;
        }
        pending.decrementAndGet();
        syncDirectory(quarantine);
        syncDirectory(dir);
    }

    /** Messages acknowledged but not released, oldest file first. Unreadable files are quarantined. */
    public List<SpooledMessage> pending() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort((a, b) -> {
            try {
                return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
                return a.compareTo(b);
            }
        });
        List<SpooledMessage> result = new ArrayList<>();
        for (Path file : files) {
            String key = file.getFileName().toString().replace(SUFFIX, "");
            try {
                result.add(read(key, Files.readAllBytes(file)));
            } catch (IllegalArgumentException e) {
                quarantine(key, "unreadable spool file: " + e.getMessage());
            }
        }
        return result;
    }

    /** Number of messages in quarantine. */
    public long quarantined() throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(quarantine, "*" + SUFFIX)) {
            long n = 0;
            for (Path ignored : stream) {
                n++;
            }
            return n;
        }
    }

    /** The pending message with this key, if it is still waiting. */
    public Optional<SpooledMessage> find(String intakeKey) throws IOException {
        try {
            return Optional.of(read(intakeKey, Files.readAllBytes(pendingFile(checkKey(intakeKey)))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Path pendingFile(String key) {
        return dir.resolve(key + SUFFIX);
    }

    private static String checkKey(String key) {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not an intake key: " + key);
        }
        return key;
    }

    private static byte[] header(Envelope e) {
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        line(b, "sender", e.sender());
        for (String rcpt : e.recipients()) {
            line(b, "rcpt", rcpt);
        }
        line(b, "client-ip", e.clientIp());
        line(b, "client-helo", e.clientHelo());
        line(b, "received-at", e.receivedAt().toString());
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(name).append(' ').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('\n');
    }

    private static SpooledMessage read(String key, byte[] file) {
        int end = indexOf(file, new byte[] {'\n', '\n'});
        if (end < 0) {
            throw new IllegalArgumentException("no end of spool header");
        }
        String[] lines = new String(file, 0, end, StandardCharsets.UTF_8).split("\n");
        if (!MAGIC.equals(lines[0])) {
            throw new IllegalArgumentException("not a Trapline spool file");
        }
        String sender = null;
        String clientIp = null;
        String helo = "";
        Instant at = null;
        List<String> rcpts = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int sp = lines[i].indexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException("bad spool header line " + (i + 1));
            }
            String value = URLDecoder.decode(lines[i].substring(sp + 1), StandardCharsets.UTF_8);
            switch (lines[i].substring(0, sp)) {
                case "sender" -> sender = value;
                case "rcpt" -> rcpts.add(value);
                case "client-ip" -> clientIp = value;
                case "client-helo" -> helo = value;
                case "received-at" -> at = Instant.parse(value);
                default -> { /* a later version's field: ignore */ }
            }
        }
        if (sender == null || clientIp == null || at == null || rcpts.isEmpty()) {
            throw new IllegalArgumentException("incomplete spool header");
        }
        byte[] raw = new byte[file.length - end - 2];
        System.arraycopy(file, end + 2, raw, 0, raw.length);
        return new SpooledMessage(key, new Envelope(sender, rcpts, clientIp, helo, at), raw);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

}
