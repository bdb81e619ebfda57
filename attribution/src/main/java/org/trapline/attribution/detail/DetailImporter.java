package org.trapline.attribution.detail;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.SessionStore;

/** Imports FreeRADIUS detail files into the session store, in batches. */
public final class DetailImporter {
    /** Called as an import goes on. */
    public interface Progress {
        Progress NONE = (done, total, records) -> { };

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

    private static final int BATCH = 50_000;

    private final SessionStore store;
    private final ZoneId headerZone;

    /**
     * @param headerZone the FreeRADIUS server's zone, for records without {@code Timestamp}; usually the system zone
     */
    public DetailImporter(SessionStore store, ZoneId headerZone) {
        this.store = store;
        this.headerZone = headerZone;
    }

    /** Imports a whole file; a bad record is reported and skipped, never ending the import. */
    public Result importFile(Path file, Consumer<DetailProblem> problems, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long total = ch.size();
            Counting counting = new Counting(Channels.newInputStream(ch));
            Batcher batcher = new Batcher(problems, () -> progress.update(counting.count, total, 0));
            DetailReader.Position end = new DetailReader(file.toString(), headerZone)
                    .read(counting, DetailReader.Position.START, true, batcher);
            batcher.flush();
            progress.update(total, total, batcher.records);
            return new Result(file, batcher.records, batcher.problems, end.offset(), Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /**
     * Imports the records appended to a file since {@code from}, leaving an unfinished last record for
     * the next call; returns where to continue.
     */
    public Appended importAppended(Path file, DetailReader.Position from, Consumer<DetailProblem> problems) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(from.offset());
            Batcher batcher = new Batcher(problems, () -> { });
            DetailReader.Position end = new DetailReader(file.toString(), headerZone)
                    .read(Channels.newInputStream(ch), from, false, batcher);
            batcher.flush();
            return new Appended(end, batcher.records, batcher.problems);
        }
    }

    private final class Batcher implements DetailReader.Sink {
        final List<AccountingEvent> pending = new ArrayList<>(BATCH);
        final Consumer<DetailProblem> problemSink;
        final Runnable afterBatch;
        long records, problems;

        Batcher(Consumer<DetailProblem> problemSink, Runnable afterBatch) {
            this.problemSink = problemSink;
            this.afterBatch = afterBatch;
        }

        @Override
        public void record(AccountingEvent event) {
            pending.add(event);
            if (pending.size() >= BATCH) {
                flush();
                afterBatch.run();
            }
        }

        @Override
        public void problem(DetailProblem problem) {
            problems++;
            problemSink.accept(problem);
        }

        void flush() {
            if (!pending.isEmpty()) {
                store.apply(pending);
                records += pending.size();
                pending.clear();
            }
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
