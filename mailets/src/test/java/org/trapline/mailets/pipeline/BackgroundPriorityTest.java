package org.trapline.mailets.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {
    @Test
    void lowersThreadsByNameOnceAndLeavesTheOthersAlone() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        int before = niceOf(tidOfCurrentThread());
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<String> pipelineTid = new AtomicReference<>();
        AtomicReference<String> smtpTid = new AtomicReference<>();
        Thread pipeline = parked("spooler-test-1", pipelineTid, started, finish);
        Thread smtp = parked("smtpserver-io-test", smtpTid, started, finish);
        started.await();
        try {
            BackgroundPriority priority = new BackgroundPriority(7, List.of("spooler-"));
            assertThat(priority.applyOnce()).as("one thread matches").isEqualTo(1);
            assertThat(niceOf(pipelineTid.get())).as("pipeline thread").isEqualTo(Math.min(19, before + 7));
            assertThat(niceOf(smtpTid.get())).as("SMTP thread untouched").isEqualTo(before);
            assertThat(niceOf(tidOfCurrentThread())).as("caller untouched").isEqualTo(before);
            assertThat(priority.applyOnce()).as("not lowered again").isZero();
            assertThat(niceOf(pipelineTid.get())).isEqualTo(Math.min(19, before + 7));
        } finally {
            finish.countDown();
            pipeline.join();
            smtp.join();
        }
    }

    @Test
    void withoutProcNothingHappensAndNothingBreaks() {
        BackgroundPriority priority = new BackgroundPriority(19, BackgroundPriority.BEHIND_THE_250, Path.of("/nonexistent/proc/self/task"));
        assertThat(priority.applyOnce()).isZero();
    }

    @Test
    void refusesValuesOutsideWhatNiceMeans() {
        assertThatThrownBy(() -> new BackgroundPriority(0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackgroundPriority(20, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static Thread parked(String name, AtomicReference<String> tid, CountDownLatch started, CountDownLatch finish) {
        Thread t = new Thread(() -> {
            tid.set(tidOfCurrentThread());
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }

    private static String tidOfCurrentThread() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Field 19 of /proc/self/task/TID/stat; the name (field 2) may hold spaces, so count after its ')'. */
    private static int niceOf(String tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task", tid, "stat"), StandardCharsets.US_ASCII);
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
