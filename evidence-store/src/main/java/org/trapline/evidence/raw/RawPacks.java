package org.trapline.evidence.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.trapline.common.log.FileIo;
import org.trapline.common.log.Framing;
import org.trapline.common.log.SegmentFiles;

/**
 * The raw messages, byte for byte, appended to pack files under {@code <data>/raw/}
 * ({@code <seq>.pack}). A hit row points at its record by {@link RawLocation}.
 *
 * <p>Why packs and not one file per message: creating, renaming and fsyncing a file for every trap hit
 * cost the MX more kernel time than the SMTP exchange itself, and fsyncing thousands of files one by one
 * made the spool wait seconds before it could let go of messages. Appending to one file lets a whole
 * flush interval share a single {@code fdatasync}.
 *
 * <p>A record is {@code [magic "TRAW", length, CRC32C of the bytes, SHA-256 (32 bytes), the bytes]}. Records
 * are found by their offset, never by scanning, so a torn tail left by a crash is harmless: its rows were
 * not flushed either, and the spool replays them into a fresh pack. Each open of the store writes to a new
 * pack (created on the first append), never after a tail it did not write. Erasing a record (purges)
 * overwrites its bytes with zeros and marks it {@code "TDEL"}; a pack no row points at any more is deleted.
 *
 * <p>Call order: {@link #append} from any thread, {@link #sync} to make appends durable against power
 * loss, {@link #close} once. Reads work from any process, also while a server appends.
 */
public final class RawPacks implements AutoCloseable {
    /** Size after which a new pack is started, so that purged packs can be deleted whole. */
    static final long PACK_BYTES = 256L << 20;
    private static final Framing FRAMING = new Framing(0x54524157 /* "TRAW" */, 0x5444454c /* "TDEL" */, 32, false, 0,
            Integer.MAX_VALUE - 44);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final SegmentFiles files;
    private final long packBytes;
    private FileChannel current;
    private long currentSeq;
    private long currentSize;
    /** Packs appended to since the last sync, and whether the directory gained an entry. */
    private final Set<FileChannel> unsynced = new LinkedHashSet<>();
    private boolean directoryChanged;
    /** Channels a sync is forcing right now, once per sync (two syncs may force the same one). */
    private final List<FileChannel> forcing = new ArrayList<>();
    private final List<FileChannel> sealed = new ArrayList<>();

    public RawPacks(Path root) {
        this(root, PACK_BYTES);
    }

    RawPacks(Path root, long packBytes) {
        this.files = new SegmentFiles(root, ".pack", 16);
        this.packBytes = packBytes;
    }

    /** Hex SHA-256 of the bytes: the message's identity in this store. */
    public static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Appends a message. When this returns the bytes are in the file (safe against a process crash), not
     * yet against power loss: see {@link #sync}.
     *
     * @throws IOException when the store cannot write (full, read-only, not a directory, ...)
     */
    public synchronized RawLocation append(byte[] raw, String sha256) throws IOException {
        byte[] digest = digestOf(sha256);
        if (current == null || currentSize >= packBytes) {
            startPack();
        }
        ByteBuffer[] record = FRAMING.frame(digest, ByteBuffer.wrap(raw));
        long offset = currentSize;
        long total = FRAMING.headerBytes() + (long) raw.length;
        try {
            FileIo.writeFully(current, record);
        } catch (IOException e) {
            // A partial record may sit at the end; the next append goes to a fresh pack, after nothing torn.
            seal();
            throw e;
        }
        currentSize += total;
        unsynced.add(current);
        return new RawLocation(currentSeq, offset);
    }

    /** Makes every append so far durable against power loss: one fdatasync per pack written to. */
    public void sync() throws IOException {
        List<FileChannel> batch;
        boolean directory;
        synchronized (this) {
            batch = new ArrayList<>(unsynced);
            unsynced.clear();
            forcing.addAll(batch);
            directory = directoryChanged;
            directoryChanged = false;
        }
        boolean done = false;
        try {
            for (FileChannel ch : batch) {
                if (ch.isOpen()) {
                    ch.force(false);
                }
            }
            if (directory) {
                files.syncDirectory();
            }
            done = true;
        } finally {
            synchronized (this) {
                batch.forEach(forcing::remove);
                if (!done) {
                    unsynced.addAll(batch);
                    directoryChanged |= directory;
                }
                // Packs no longer appended to are closed once their last appends are on disk, and never
                // while another sync still forces them.
                sealed.removeIf(ch -> {
                    if (unsynced.contains(ch) || forcing.contains(ch)) {
                        return false;
                    }
                    closeQuietly(ch);
                    return true;
                });
            }
        }
    }

    /**
     * Reads a message back, checking it is the one the row expects.
     *
     * @return the bytes, or empty when the record was erased or is not there (lost with a power cut
     *         before its flush)
     * @throws IOException when the pack cannot be read or the record is damaged
     */
    public Optional<byte[]> read(RawLocation at, String sha256) throws IOException {
        byte[] digest = digestOf(sha256);
        try (FileChannel ch = files.open(at.pack(), StandardOpenOption.READ)) {
            Framing.Read read = FRAMING.readAt(ch, at.offset());
            if (read instanceof Framing.Missing) {
                return Optional.empty();
            }
            if (read instanceof Framing.Found found && found.frame().erased()) {
                return Optional.empty();
            }
            if (!(read instanceof Framing.Found found) || !Arrays.equals(found.frame().keyBytes(), digest)) {
                String problem = read instanceof Framing.Damaged d ? d.problem() : "another message's record";
                throw new IOException("no record of message " + sha256 + " at " + at + " (pack damaged or row wrong: " + problem + ")");
            }
            return Optional.of(found.frame().payloadBytes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Whether the record is there, whole and the message with that hash (a replay may reuse it). */
    public boolean intact(RawLocation at, String sha256) {
        try {
            return read(at, sha256).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Destroys a message's bytes in place (zeros, then fdatasync): a purge must not leave the content
     * readable until the whole pack goes. Returns whether there was a live record to erase.
     */
    public boolean erase(RawLocation at, String sha256) throws IOException {
        byte[] digest = digestOf(sha256);
        try (FileChannel ch = files.open(at.pack(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(FRAMING.headerBytes());
            if (FileIo.readFully(ch, header, at.offset()) < header.capacity()) {
                return false;
            }
            // Only the header is checked: a record whose bytes are damaged must still be destroyable.
            byte[] stored = new byte[32];
            header.get(12, stored);
            if (header.getInt(0) != FRAMING.magic() || !Arrays.equals(stored, digest)) {
                return false;
            }
            FRAMING.eraseAt(ch, at.offset(), header.getInt(4));
            ch.force(false);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Deletes every pack not in {@code live} except the one this store writes to. The caller must make
     * sure no append is on its way to a row meanwhile. Returns how many packs it deleted.
     */
    public synchronized int deletePacksExcept(Set<Long> live) throws IOException {
        int deleted = 0;
        for (long seq : packs()) {
            if (!live.contains(seq) && !(current != null && seq == currentSeq)) {
                files.delete(seq);
                deleted++;
            }
        }
        if (deleted > 0) {
            files.syncDirectory();
        }
        return deleted;
    }

    /** Sequence numbers of the packs on disk, ascending. */
    public List<Long> packs() throws IOException {
        return files.numbers();
    }

    /** Bytes the packs take on disk. */
    public long bytesOnDisk() throws IOException {
        long total = 0;
        for (long seq : packs()) {
            total += Files.size(files.path(seq));
        }
        return total;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            sync();
        } finally {
            seal();
            for (FileChannel ch : sealed) {
                ch.close();
            }
            sealed.clear();
        }
    }

    private void startPack() throws IOException {
        seal();
        List<Long> existing = packs();
        long seq = Math.max(currentSeq, existing.isEmpty() ? 0 : existing.get(existing.size() - 1)) + 1;
        // Its name is made durable by the next sync, before any row that points into it is flushed.
        current = files.create(seq, false);
        currentSeq = seq;
        currentSize = 0;
        directoryChanged = true;
    }

    /** Stops appending to the current pack; it stays open until synced and closed. */
    private void seal() {
        if (current != null) {
            sealed.add(current);
            current = null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // its data is already forced to disk
        }
    }

    /**
     * Checks a hash before it names anything on disk: hashes come from our own database, but a path or a
     * record must never be picked by anything else.
     */
    static String checkSha(String sha256) {
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        return sha256;
    }

    private static byte[] digestOf(String sha256) {
        return HexFormat.of().parseHex(checkSha(sha256));
    }
}
