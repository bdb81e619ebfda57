package org.trapline.mailets.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ThreadNicenessTest {
    @Test
    void lowersTheCallingThreadOnlyAndOnlyOnce() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        ThreadNiceness niceness = new ThreadNiceness(7);
        AtomicInteger inside = new AtomicInteger(-100);
        AtomicInteger again = new AtomicInteger(-100);
        Thread worker = new Thread(() -> {
            niceness.applyToCurrentThread();
            inside.set(currentNice());
            niceness.applyToCurrentThread();
            again.set(currentNice());
        });
        int before = currentNice();
        worker.start();
        worker.join();
        assertThat(inside.get()).as("the pipeline thread").isEqualTo(before + 7);
        assertThat(again.get()).as("not lowered twice").isEqualTo(before + 7);
        assertThat(currentNice()).as("other threads untouched").isEqualTo(before);
    }

    @Test
    void refusesValuesOutsideWhatNiceMeans() {
        assertThatThrownBy(() -> new ThreadNiceness(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThreadNiceness(20)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Field 19 of /proc/thread-self/stat; the command name (field 2) may hold spaces, so count after its ')'. */
    private static int currentNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.US_ASCII);
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(rest[16]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
