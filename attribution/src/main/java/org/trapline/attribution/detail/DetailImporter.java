package org.trapline.attribution.detail;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.SessionBulkLoad;
import org.trapline.attribution.session.SessionStore;

/**
 * Imports FreeRADIUS detail files into the session store. A read of a megabyte or more is parsed on a
 * second thread while the store works; a read of at least {@link DetailImportSettings#bulkMinBytes()}
 * (a whole file, a watcher's first pass over an old file) is bulk loaded ({@link SessionBulkLoad});
 * smaller ones (a watcher's appends) are applied batch by batch as they are read.
 */
public final class DetailImporter {
    /** Called as an import goes on, on the importing thread. */
    public interface Progress {
        Progress NONE = (done, total, records) -> { };

        /** @param records records handed to the store so far */
        void update(long bytesDone, long bytesTotal, long records);
    }

    /**
     * What one file gave.
     *
     * @param records  records imported
     * @param problems records skipped (each reported to the problem consumer with file:line)
     */
    public record Result(Path file, long records, long problems, long bytes, Duration took) {
        public double recordsPerSecond() {
            double s = took.toNanos() / 1e9;
            return s <= 0 ? 0 : records / s;
        }
    }

    /** What {@link #importAppended} read: where to continue, records imported, records skipped. */
    public record Appended(DetailReader.Position next, long records, long problems) {
    }

    /** Records per batch of the batch-by-batch path (one transaction each). */
    private static final int BATCH = 50_000;
    /** Records the reader hands over at a time, and how many such chunks may wait. */
    private static final int CHUNK = 8_192;
    private static final int QUEUED_CHUNKS = 8;
    /** Below this, reading on a second thread costs more than it saves (the watcher's small appends). */
    private static final long PIPELINE_MIN_BYTES = 1L << 20;

    private final SessionStore store;
    private final ZoneId headerZone;
    private final DetailImportSettings settings;

    /**
     * @param headerZone the FreeRADIUS server's zone, for records without {@code Timestamp}; usually the system zone
     */
    public DetailImporter(SessionStore store, ZoneId headerZone) {
        this(store, headerZone, DetailImportSettings.defaults());
    }

    /**
     * @param headerZone the FreeRADIUS server's zone, for records without {@code Timestamp}; usually the system zone
     * @param settings   when to bulk load, see {@link DetailImportSettings}
     */
    public DetailImporter(SessionStore store, ZoneId headerZone, DetailImportSettings settings) {
        this.store = store;
        this.headerZone = headerZone;
        this.settings = settings;
    }

    /** Imports a whole file; a bad record is reported and skipped, never ending the import. */
    public Result importFile(Path file, Consumer<DetailProblem> problems, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long total = ch.size();
            Outcome o = run(file, ch, DetailReader.Position.START, true, total, problems,
                    (done, records) -> progress.update(done, total, records));
            progress.update(total, total, o.records);
            return new Result(file, o.records, o.problems, o.end.offset(), Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /**
     * Imports the records appended to a file since {@code from}, leaving an unfinished last record for
     * the next call; returns where to continue.
     */
    public Appended importAppended(Path file, DetailReader.Position from, Consumer<DetailProblem> problems) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(from.offset());
            Outcome o = run(file, ch, from, false, Math.max(0, ch.size() - from.offset()), problems, (done, records) -> { });
            return new Appended(o.end, o.records, o.problems);
        }
    }

    private record Outcome(DetailReader.Position end, long records, long problems) {
    }

    /** What the reader hands to the writer: records and problems in file order, then (last) where it ended. */
    private record Chunk(List<AccountingEvent> events, List<DetailProblem> problems, long bytesRead,
                         DetailReader.Position end, Throwable failure) {
    }

    private interface ChunkProgress {
        void update(long bytesRead, long records);
    }

    /**
     * Reads on one thread and writes on the caller's, so that parsing and the store overlap; problems
     * and progress are reported on the caller's thread, in file order.
     */
    private Outcome run(Path file, FileChannel ch, DetailReader.Position from, boolean complete, long bytes,
                        Consumer<DetailProblem> problemSink, ChunkProgress progress) throws IOException {
        Counting counting = new Counting(Channels.newInputStream(ch));
        DetailReader reader = new DetailReader(file.toString(), headerZone);
        try (Writer writer = bytes >= settings.bulkMinBytes() ? new Bulk(store.bulkLoad(settings.bulkLimits())) : new ByBatch()) {
            return feed(counting, reader, writer, from, complete, bytes, problemSink, progress);
        }
    }

    private Outcome feed(Counting counting, DetailReader reader, Writer writer, DetailReader.Position from,
                         boolean complete, long bytes, Consumer<DetailProblem> problemSink, ChunkProgress progress) throws IOException {
        long[] counts = new long[2];
        Consumer<Chunk> apply = chunk -> {
            for (DetailProblem p : chunk.problems()) {
                counts[1]++;
                problemSink.accept(p);
            }
            writer.add(chunk.events());
            counts[0] += chunk.events().size();
            progress.update(chunk.bytesRead(), counts[0]);
        };
        DetailReader.Position end;
        if (bytes < PIPELINE_MIN_BYTES) {
            Chunker chunker = new Chunker(counting, apply);
            end = reader.read(counting, from, complete, chunker);
            chunker.emit(end);
        } else {
            end = pipelined(reader, counting, from, complete, apply);
        }
        writer.finish();
        return new Outcome(end, counts[0], counts[1]);
    }

    private DetailReader.Position pipelined(DetailReader reader, Counting counting, DetailReader.Position from, boolean complete,
                                            Consumer<Chunk> apply) throws IOException {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        AtomicBoolean stop = new AtomicBoolean();
        Consumer<Chunk> hand = chunk -> {
            try {
                while (stop.get() || !queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    if (stop.get()) {
                        throw new Abandoned();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abandoned();
            }
        };
        Thread thread = new Thread(() -> {
            Chunker chunker = new Chunker(counting, hand);
            try {
                chunker.emit(reader.read(counting, from, complete, chunker));
            } catch (Abandoned e) {
                // The writer failed and said so itself.
            } catch (Throwable e) {
                try {
                    hand.accept(new Chunk(List.of(), List.of(), counting.count, null, e));
                } catch (Abandoned ignored) {
                    // as above
                }
            }
        }, "detail-reader");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                Chunk chunk = queue.take();
                if (chunk.failure() != null) {
                    throw chunk.failure();
                }
                apply.accept(chunk);
                if (chunk.end() != null) {
                    return chunk.end();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("detail import interrupted");
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        } finally {
            stop.set(true);
            queue.clear();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Thrown in the reader thread when the writer gave up, to stop reading. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    /** Cuts the reader's output into chunks. */
    private static final class Chunker implements DetailReader.Sink {
        private final Counting counting;
        private final Consumer<Chunk> out;
        private List<AccountingEvent> events = new ArrayList<>(CHUNK);
        private List<DetailProblem> problems = new ArrayList<>();

        Chunker(Counting counting, Consumer<Chunk> out) {
            this.counting = counting;
            this.out = out;
        }

        @Override
        public void record(AccountingEvent event) {
            events.add(event);
            if (events.size() >= CHUNK) {
                emit(null);
            }
        }

        @Override
        public void problem(DetailProblem problem) {
            problems.add(problem);
        }

        void emit(DetailReader.Position end) {
            out.accept(new Chunk(events, problems, counting.count, end, null));
            events = new ArrayList<>(CHUNK);
            problems = new ArrayList<>();
        }
    }

    /** Where the records go. */
    private interface Writer extends AutoCloseable {
        void add(List<AccountingEvent> events);

        /** Writes what is left; returns once committed. */
        void finish();

        /** Lets go of what it holds (after {@link #finish()}, or instead of it when the import failed). */
        @Override
        default void close() {
        }
    }

    /** Batches applied as they fill: each committed before the next is read. */
    private final class ByBatch implements Writer {
        private final List<AccountingEvent> pending = new ArrayList<>(BATCH);

        @Override
        public void add(List<AccountingEvent> events) {
            pending.addAll(events);
            if (pending.size() >= BATCH) {
                finish();
            }
        }

        @Override
        public void finish() {
            if (!pending.isEmpty()) {
                store.apply(pending);
                pending.clear();
            }
        }
    }

    private record Bulk(SessionBulkLoad load) implements Writer {
        @Override
        public void add(List<AccountingEvent> events) {
            load.addAll(events);
        }

        @Override
        public void finish() {
            load.flush();
        }

        @Override
        public void close() {
            load.close();
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
