package org.trapline.attribution.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.attribution.session.AccountingStatus;
import org.trapline.attribution.session.Events;
import org.trapline.attribution.session.Session;
import org.trapline.attribution.session.SessionStore;

class AccountingJournalTest {
    @TempDir
    Path data;
    SessionStore store;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = SessionStore.open(data);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        store.close();
    }

    AccountingJournal running(JournalSettings settings) throws IOException {
        AccountingJournal j = AccountingJournal.open(data, settings, store);
        open.add(j);
        return j;
    }

    static List<AccountingEvent> session(String id, String user, String ip, long at) {
        return List.of(Events.start(id, user, ip, at), Events.interim(id, user, ip, at + 300, 300), Events.stop(id, user, ip, at + 600, 600));
    }

    Path journalDir() {
        return AccountingJournal.directory(data);
    }

    List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(journalDir())) {
            return s.filter(p -> p.toString().endsWith(".acct")).sorted().toList();
        }
    }

    @Test
    void restartAppliesTheUnappliedTailExactlyOnce() throws Exception {
        try (AccountingJournal first = AccountingJournal.open(data, JournalSettings.defaults(), store)) {
            first.commit(session("a", "alice", "100.64.0.1", 0));
            assertThat(first.awaitApplied(first.position(), Duration.ofSeconds(10))).isTrue();
        }
        long tail;
        // The applier is "killed" before it could apply the second commit.
        try (AccountingJournal crashed = AccountingJournal.openWithoutApplier(data, JournalSettings.defaults(), store)) {
            List<AccountingEvent> more = new ArrayList<>(session("b", "bob", "100.64.0.2", 1000));
            more.add(Events.interim("a", "alice", "100.64.0.1", 500, 500));
            long before = crashed.position();
            crashed.commit(more);
            tail = crashed.position() - before;
        }
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.journalPosition(AccountingJournal.NAME)).isPositive();

        // The gap a restart finds, looked at before an applier can close it.
        try (AccountingJournal look = AccountingJournal.openWithoutApplier(data, JournalSettings.defaults(), store)) {
            assertThat(look.position() - look.appliedPosition()).isEqualTo(tail);
        }
        AccountingJournal reopened = running(JournalSettings.defaults());
        reopened.await();
        assertThat(reopened.appliedRecords()).isEqualTo(4);
        assertThat(store.count()).isEqualTo(2);
        Session b = store.find(Events.NAS, "b").orElseThrow();
        assertThat(b.userName()).isEqualTo("bob");
        assertThat(b.start()).isEqualTo(Events.at(1000));
        assertThat(b.stop()).isEqualTo(Events.at(1600));
        assertThat(store.journalPosition(AccountingJournal.NAME)).isEqualTo(reopened.position());
        reopened.close();
        open.remove(reopened);

        AccountingJournal again = running(JournalSettings.defaults());
        again.await();
        assertThat(again.appliedRecords()).as("nothing applied twice").isZero();
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void tornWriteAtTheEndIsCutOffAndTheRestApplied() throws Exception {
        long intact;
        try (AccountingJournal j = AccountingJournal.openWithoutApplier(data, JournalSettings.defaults(), store)) {
            j.commit(session("a", "alice", "100.64.0.1", 0));
            j.commit(session("b", "bob", "100.64.0.2", 0));
            intact = j.position();
        }
        Path segment = segments().get(segments().size() - 1);
        long size = Files.size(segment);
        // A third commit cut short by a crash: a whole frame header and part of its payload.
        byte[] whole = Files.readAllBytes(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(whole, 0, 40));
        }
        AccountingJournal j = running(JournalSettings.defaults());
        assertThat(Files.size(segment)).isEqualTo(size);
        assertThat(j.position()).isEqualTo(intact);
        j.await();
        assertThat(store.count()).isEqualTo(2);
        j.commit(session("c", "carol", "100.64.0.3", 0));
        j.await();
        assertThat(store.find(Events.NAS, "c")).isPresent();
    }

    @Test
    void damagedLastRecordIsCutOffAndTheRecordsBeforeItApplied() throws Exception {
        try (AccountingJournal j = AccountingJournal.openWithoutApplier(data, JournalSettings.defaults(), store)) {
            j.commit(session("a", "alice", "100.64.0.1", 0));
            j.commit(List.of(Events.start("b", "bob", "100.64.0.2", 0)));
        }
        Path segment = segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(segment, bytes);
        AccountingJournal j = running(JournalSettings.defaults());
        j.await();
        assertThat(store.find(Events.NAS, "a")).isPresent();
        assertThat(store.find(Events.NAS, "b")).isEmpty();
    }

    @Test
    void recordThisVersionCannotReadIsQuarantinedAndTheOthersApplied() throws Exception {
        try (AccountingJournal j = AccountingJournal.openWithoutApplier(data, JournalSettings.defaults(), store)) {
            j.commit(session("a", "alice", "100.64.0.1", 0));
        }
        byte[] payload = {99, 1, 2, 3};
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer frame = ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        try (FileChannel ch = FileChannel.open(segments().get(0), StandardOpenOption.APPEND)) {
            ch.write(frame);
        }
        AccountingJournal j = running(JournalSettings.defaults());
        j.commit(session("b", "bob", "100.64.0.2", 0));
        j.await();
        assertThat(store.count()).isEqualTo(2);
        assertThat(j.quarantinedRecords()).isEqualTo(1);
        assertThat(Files.readString(journalDir().resolve("quarantine.log"))).contains("format 99");
    }

    @Test
    void filesRollAndAreDeletedOnceApplied() throws Exception {
        JournalSettings small = new JournalSettings(false, 4096, 50, 1 << 20, Duration.ofSeconds(10), 100);
        AccountingJournal j = running(small);
        for (int i = 0; i < 200; i++) {
            j.commit(session("s" + i, "user" + i, "100.64.1." + (i % 250), i * 1000L));
        }
        j.await();
        assertThat(store.count()).isEqualTo(200);
        // The applier deletes files behind it; the one being written stays.
        assertThat(segments()).hasSizeLessThanOrEqualTo(2);
        j.close();
        open.remove(j);
        AccountingJournal again = running(small);
        again.commit(session("late", "late", "100.64.2.1", 0));
        again.await();
        assertThat(again.appliedRecords()).isEqualTo(3);
        assertThat(store.count()).isEqualTo(201);
    }

    @Test
    void commitsWaitWhileTooMuchIsUnapplied() throws Exception {
        // At most one byte unapplied: every commit waits until everything before it is in the store.
        AccountingJournal j = running(new JournalSettings(false, 1 << 20, 1000, 1, Duration.ofSeconds(10), 100));
        for (int i = 0; i < 10; i++) {
            long before = j.position();
            j.commit(session("t" + i, "user" + i, "100.64.3." + i, i * 1000L));
            if (i > 0) {
                assertThat(j.appliedPosition()).as("applied when commit %d was taken", i).isGreaterThanOrEqualTo(before);
            }
        }
        j.await();
        assertThat(store.count()).isEqualTo(10);
    }

    @Test
    void lostJournalFilesNeverMakeNewRecordsLookApplied() throws Exception {
        long applied;
        try (AccountingJournal j = AccountingJournal.open(data, JournalSettings.defaults(), store)) {
            j.commit(session("a", "alice", "100.64.0.1", 0));
            j.await();
            applied = j.appliedPosition();
        }
        // A power cut without fsync can leave the journal shorter than what the store applied.
        try (FileChannel ch = FileChannel.open(segments().get(0), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        AccountingJournal j = running(JournalSettings.defaults());
        assertThat(j.position()).isEqualTo(applied);
        j.commit(session("b", "bob", "100.64.0.2", 0));
        j.await();
        assertThat(store.find(Events.NAS, "b")).isPresent();
        assertThat(j.appliedRecords()).isEqualTo(3);
    }

    @Test
    void fsyncModeCommitsAndApplies() throws Exception {
        Properties p = new Properties();
        p.setProperty(JournalSettings.FSYNC, "true");
        AccountingJournal j = running(JournalSettings.from(p));
        j.commit(session("a", "alice", "100.64.0.1", 0));
        j.await();
        assertThat(store.find(Events.NAS, "a")).isPresent();
    }

    @Test
    void secondProcessCannotOpenAJournalInUse() throws Exception {
        running(JournalSettings.defaults());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccountingJournal.open(data, JournalSettings.defaults(), store))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("in use");
    }

    @Test
    void accountingOnInTheJournalClosesTheNasSessions() throws Exception {
        AccountingJournal j = running(JournalSettings.defaults());
        j.commit(List.of(Events.start("a", "alice", "100.64.0.1", 0), Events.nas(AccountingStatus.ACCOUNTING_ON, 3600)));
        j.await();
        assertThat(store.find(Events.NAS, "a").orElseThrow().terminateCause()).isEqualTo("NAS-Reboot");
    }

    static InetAddress ip(String s) throws IOException {
        return InetAddress.getByName(s);
    }

    static DatagramSocket client() throws IOException {
        DatagramSocket s = new DatagramSocket();
        s.setSoTimeout(2000);
        return s;
    }
}
