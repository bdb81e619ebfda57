package org.trapline.mailets.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the SMTP sessions have the CPU first: puts every thread doing work behind the 250 (the mailet
 * pipeline, evidence indexing and its merges, the spool and database flushes) at a lower Linux
 * scheduling priority. During a spam burst the zombies get their 250 at intake speed, and tracing,
 * attribution and evidence catch up as soon as the sessions leave them room. Deferring is safe because
 * every acknowledged message is already in the spool, and bounded because the spool's backlog limit
 * answers 451 before the pipeline falls too far behind. Bots rarely retry after a 4xx, so a trap that
 * answers slowly under load loses exactly the evidence it exists for.
 *
 * <p>Java has no API for it, but Linux schedules each thread as its own task, so {@code chrt} or
 * {@code renice} on a thread id from {@code /proc/self/task} affects that thread only, and lowering a
 * priority needs no privilege. Pools create and retire threads all the time, so the threads are looked
 * for by name, again at every {@link #start(Duration) interval}. Garbage collector threads are left alone
 * on purpose: a collection stops the SMTP threads too, so it must finish fast. Where there is no
 * {@code /proc} or no such command, nothing changes and one warning is logged.
 *
 * <p>Call order: {@link #start(Duration)}, then {@link #close()}; {@link #applyOnce()} at any time.
 */
public final class BackgroundPriority implements AutoCloseable {
    /**
     * Name prefixes of the threads that work behind the 250: James's mailet spooler, Lucene's merges,
     * Trapline's index refresh and spool release, H2's background writers. Not the JIT compilers: they
     * make the SMTP path fast too, and a niced compiler left it slow for longer after a start.
     */
    public static final List<String> BEHIND_THE_250 = List.of("spooler-", "Lucene Merge Thread", "evidence-index",
            "spool-release", "HN-", "H2-", "MVStore", "background-priority");

    /**
     * How far down the threads go.
     *
     * @param nice 1 to 19: a Linux nice value (19: about 1.5 % of a core against one busy normal thread);
     *             0: the SCHED_IDLE policy, which a waking SMTP thread always preempts at once and which
     *             gets a core only when no normal thread wants it (measured at 20 sessions: about 6 % more
     *             messages/s than nice 19 with 2 KB messages, within the run-to-run spread; bench/README.md)
     */
    public record Priority(int nice) {
        public Priority {
            if (nice < 0 || nice > 19) {
                throw new IllegalArgumentException("a nice value is from 1 to 19 (0 = idle policy), not " + nice);
            }
        }

        /** Linux's SCHED_IDLE policy. */
        public static Priority idle() {
            return new Priority(0);
        }

        /**
         * A setting's value: {@code idle}, a nice value from 1 to 19, or {@code off} (empty: leave the threads
         * alone).
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Optional<Priority> parse(String value) {
            String v = value.strip();
            if (v.equals("off")) {
                return Optional.empty();
            }
            if (v.equals("idle")) {
                return Optional.of(idle());
            }
            try {
                return Optional.of(nice(Integer.parseInt(v)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("idle, a nice value from 1 to 19, or off; not " + value);
            }
        }

        public static Priority nice(int nice) {
            if (nice == 0) {
                throw new IllegalArgumentException("a nice value is from 1 to 19, not 0");
            }
            return new Priority(nice);
        }

        public boolean isIdle() {
            return nice == 0;
        }

        /** The command that applies it to one thread id. */
        List<String> command(String tid) {
            return isIdle() ? List.of("chrt", "--idle", "--pid", "0", tid) : List.of("renice", "-n", Integer.toString(nice), "-p", tid);
        }

        @Override
        public String toString() {
            return isIdle() ? "idle" : "nice " + nice;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);
    /** Bytes of a thread's name that Linux keeps in /proc/.../comm. */
    private static final int COMM_LENGTH = 15;

    private final Priority priority;
    private final List<String> namePrefixes;
    private final Path tasks;
    /** Thread ids already lowered; only the scanning thread touches it. */
    private final Set<String> lowered = new HashSet<>();
    private boolean warned;
    private ScheduledExecutorService timer;

    /**
     * @param priority     where the threads go
     * @param namePrefixes threads whose name starts with one of these are lowered
     */
    public BackgroundPriority(Priority priority, List<String> namePrefixes) {
        this(priority, namePrefixes, Path.of("/proc/self/task"));
    }

    BackgroundPriority(Priority priority, List<String> namePrefixes, Path tasks) {
        this.priority = Objects.requireNonNull(priority, "priority");
        // /proc keeps only the first 15 bytes of a thread's name ("Lucene Merge Th"), so a longer prefix is
        // compared as far as the kernel kept it.
        this.namePrefixes = namePrefixes.stream().map(p -> p.length() > COMM_LENGTH ? p.substring(0, COMM_LENGTH) : p).toList();
        this.tasks = tasks;
    }

    /** Lowers the matching threads now, then again at every interval. */
    public synchronized void start(Duration every) {
        applyOnce();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "background-priority");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::applyOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lowers every matching thread not lowered before; returns how many it lowered. */
    public synchronized int applyOnce() {
        if (!Files.isDirectory(tasks)) {
            warnOnce("no " + tasks + " (not Linux)");
            return 0;
        }
        Set<String> alive = new HashSet<>();
        int now = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path task : threads) {
                String tid = task.getFileName().toString();
                alive.add(tid);
                if (!lowered.contains(tid) && matches(nameOf(task)) && lower(tid)) {
                    lowered.add(tid);
                    now++;
                }
            }
        } catch (IOException e) {
            warnOnce(e.toString());
        }
        // Thread ids are reused by the kernel: forget the ones that are gone.
        lowered.retainAll(alive);
        return now;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private boolean matches(String name) {
        for (String prefix : namePrefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String nameOf(Path task) {
        try {
            return Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException gone) {
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    private boolean lower(String tid) {
        try {
            Process p = new ProcessBuilder(priority.command(tid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                warnOnce(priority.command(tid).get(0) + " did not finish");
                return false;
            }
            // A thread that ended meanwhile makes the command fail: not worth a warning.
            return p.exitValue() == 0;
        } catch (IOException e) {
            warnOnce(e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warn("cannot lower the pipeline's CPU priority to {} ({}); it competes with SMTP sessions on equal terms", priority, why);
        }
    }
}
