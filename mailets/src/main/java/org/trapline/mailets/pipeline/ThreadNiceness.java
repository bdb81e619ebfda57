package org.trapline.mailets.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority (Linux nice value) of the calling thread, once per thread. Java has no API for
 * it, but Linux schedules each thread as its own task, so {@code renice} on the thread's id (read from
 * {@code /proc/thread-self}) affects that thread only. Raising a nice value needs no privilege.
 * Elsewhere, or when {@code renice} is missing, nothing changes and one warning is logged.
 */
public final class ThreadNiceness {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadNiceness.class);

    private final int nice;
    private final ThreadLocal<Boolean> done = ThreadLocal.withInitial(() -> false);
    private final AtomicBoolean warned = new AtomicBoolean();

    /** @param nice 1 (slightly lower) to 19 (only when nothing else wants the CPU) */
    public ThreadNiceness(int nice) {
        if (nice < 1 || nice > 19) {
            throw new IllegalArgumentException("nice must be between 1 and 19, not " + nice);
        }
        this.nice = nice;
    }

    /** Applies the nice value to the calling thread unless it was applied to it before. */
    public void applyToCurrentThread() {
        if (done.get()) {
            return;
        }
        done.set(true);
        try {
            String tid = currentThreadId();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(5, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                warnOnce("renice did not finish");
            } else if (renice.exitValue() != 0) {
                warnOnce("renice exited with " + renice.exitValue());
            }
        } catch (IOException | UnsupportedOperationException e) {
            warnOnce(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String currentThreadId() throws IOException {
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self)) {
            throw new UnsupportedOperationException("no /proc/thread-self (not Linux)");
        }
        // "<pid>/task/<tid>"
        return Files.readSymbolicLink(self).getFileName().toString();
    }

    private void warnOnce(String why) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("cannot lower the pipeline's CPU priority ({}); it competes with SMTP sessions on equal terms", why);
        }
    }
}
