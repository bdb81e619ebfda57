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
            BackgroundPriority priority = new BackgroundPriority(BackgroundPriority.Priority.nice(7), List.of("spooler-"));
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
    void theIdlePolicyPutsMatchingThreadsUnderSchedIdleAndLeavesTheOthersAlone() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<String> pipelineTid = new AtomicReference<>();
        AtomicReference<String> smtpTid = new AtomicReference<>();
        Thread pipeline = parked("Lucene Merge Thread #3", pipelineTid, started, finish);
        Thread smtp = parked("smtpserver-io-7", smtpTid, started, finish);
        started.await();
        try {
            BackgroundPriority priority = new BackgroundPriority(BackgroundPriority.Priority.idle(), BackgroundPriority.BEHIND_THE_250);
            assertThat(priority.applyOnce()).as("the merge thread matches").isGreaterThanOrEqualTo(1);
            assertThat(policyOf(pipelineTid.get())).as("merge thread").isEqualTo(SCHED_IDLE);
            assertThat(policyOf(smtpTid.get())).as("SMTP thread untouched").isEqualTo(SCHED_OTHER);
            assertThat(policyOf(tidOfCurrentThread())).as("caller untouched").isEqualTo(SCHED_OTHER);
        } finally {
            finish.countDown();
            pipeline.join();
            smtp.join();
        }
    }

    @Test
    void withoutProcNothingHappensAndNothingBreaks() {
        BackgroundPriority priority = new BackgroundPriority(BackgroundPriority.Priority.idle(), BackgroundPriority.BEHIND_THE_250, Path.of("/nonexistent/proc/self/task"));
        assertThat(priority.applyOnce()).isZero();
    }

    @Test
    void refusesValuesOutsideWhatNiceMeans() {
        assertThatThrownBy(() -> BackgroundPriority.Priority.nice(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackgroundPriority.Priority.nice(20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackgroundPriority.Priority.nice(-5)).isInstanceOf(IllegalArgumentException.class);
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

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;

    /** Field 41 of /proc/self/task/TID/stat: the scheduling policy. */
    private static int policyOf(String tid) {
        return statField(tid, 41);
    }

    /** Field 19 of /proc/self/task/TID/stat: the nice value. */
    private static int niceOf(String tid) {
        return statField(tid, 19);
    }

    /** A numeric field of /proc/self/task/TID/stat; the name (field 2) may hold spaces, so count after its ')'. */
    private static int statField(String tid, int field) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task", tid, "stat"), StandardCharsets.US_ASCII);
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[field - 3]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
