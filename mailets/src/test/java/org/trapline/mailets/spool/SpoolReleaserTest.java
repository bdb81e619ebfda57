package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolReleaserTest {
    @TempDir
    Path dir;

    @Test
    void releasesOnlyAfterASuccessfulBarrier() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        String key = spool.write(SpoolTest.ENVELOPE, new byte[] {1, 2}).intakeKey();
        AtomicBoolean diskOk = new AtomicBoolean(false);
        SpoolReleaser releaser = new SpoolReleaser(spool, () -> {
            if (!diskOk.get()) {
                throw new java.io.IOException("disk full");
            }
        }, Duration.ofHours(1));
        releaser.releaseAfterBarrier(key);
        releaser.flush();
        assertThat(spool.find(key)).as("kept while the evidence could not be flushed").isPresent();
        diskOk.set(true);
        releaser.flush();
        assertThat(spool.find(key)).isEmpty();
        assertThat(spool.pendingCount()).isZero();
    }

    @Test
    void stopFlushesWhatIsWaiting() throws Exception {
        Spool spool = new Spool(dir);
        spool.open();
        String key = spool.write(SpoolTest.ENVELOPE, new byte[] {3}).intakeKey();
        SpoolReleaser releaser = new SpoolReleaser(spool, () -> { }, Duration.ofHours(1));
        releaser.start();
        releaser.releaseAfterBarrier(key);
        releaser.stop();
        assertThat(spool.find(key)).isEmpty();
    }
}
