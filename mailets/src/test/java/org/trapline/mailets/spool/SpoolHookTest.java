package org.trapline.mailets.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool hook leaves the wait for the disk to {@link DurableReplies} where it can, and waits itself where not. */
class SpoolHookTest {
    @TempDir
    Path dir;

    private final CountDownLatch letSyncFinish = new CountDownLatch(1);
    private Spool spool;

    private SpoolHook hookWithASlowDisk() throws IOException {
        spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, Duration.ZERO, sync -> () -> {
            try {
                letSyncFinish.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            sync.run();
        });
        spool.open();
        return new SpoolHook(spool, Clock.systemUTC(), () -> 0);
    }

    @AfterEach
    void close() throws IOException {
        letSyncFinish.countDown();
        spool.close();
    }

    @Test
    void withDurableRepliesInThePipelineTheHookReturnsBeforeTheDiskAndHandsOverTheWait() throws Exception {
        SpoolHook hook = hookWithASlowDisk();
        SMTPSession session = session();
        session.setAttachment(DurableReplies.INSTALLED, true, ProtocolSession.State.Connection);
        Mail mail = mail();

        HookResult result = hook.onMessage(session, mail);

        assertThat(result.getResult()).isEqualTo(HookReturnCode.declined());
        CompletableFuture<Void> durable = session.getAttachment(DurableReplies.AWAITING, ProtocolSession.State.Connection)
                .orElseThrow().durable();
        assertThat(durable).as("the 250 waits for this, not the hook").isNotDone();
        letSyncFinish.countDown();
        durable.get(10, TimeUnit.SECONDS);
        assertThat(spool.acknowledged(IntakeKeys.of(mail).orElseThrow())).isTrue();
    }

    @Test
    void withoutItTheHookItselfWaitsForTheDisk() throws Exception {
        SpoolHook hook = hookWithASlowDisk();
        SMTPSession session = session();
        Mail mail = mail();
        CompletableFuture<HookResult> result = CompletableFuture.supplyAsync(() -> hook.onMessage(session, mail));

        Thread.sleep(300);
        assertThat(result).as("no answer before the fdatasync").isNotDone();
        letSyncFinish.countDown();
        assertThat(result.get(10, TimeUnit.SECONDS).getResult()).isEqualTo(HookReturnCode.declined());
        assertThat(session.getAttachment(DurableReplies.AWAITING, ProtocolSession.State.Connection)).isEmpty();
    }

    @Test
    void withoutItAFailedSyncIsA451() throws Exception {
        spool = new Spool(dir, Long.MAX_VALUE, Spool.SEGMENT_BYTES, Duration.ZERO, sync -> () -> {
            throw new IOException("EIO (test)");
        });
        spool.open();
        HookResult result = new SpoolHook(spool, Clock.systemUTC(), () -> 0).onMessage(session(), mail());
        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("451");
    }

    private static Mail mail() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream("Subject: pills\r\n\r\ncheap\r\n".getBytes(StandardCharsets.US_ASCII)));
        return FakeMail.builder().name("hit").mimeMessage(message).sender("spammer@forged.example")
                .recipient("t@trap.example.net").build();
    }

    private static SMTPSession session() {
        ProtocolTransport transport = (ProtocolTransport) Proxy.newProxyInstance(SpoolHookTest.class.getClassLoader(),
                new Class<?>[] {ProtocolTransport.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddress", "getLocalAddress" -> new InetSocketAddress("192.0.2.7", 25);
                    case "getId" -> "test";
                    case "getSSLSession" -> Optional.empty();
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
        SMTPConfiguration config = (SMTPConfiguration) Proxy.newProxyInstance(SpoolHookTest.class.getClassLoader(),
                new Class<?>[] {SMTPConfiguration.class}, (proxy, method, args) -> {
                    Class<?> r = method.getReturnType();
                    return r == boolean.class ? false : r == long.class ? 0L : r == int.class ? 0 : r == Optional.class ? Optional.empty() : null;
                });
        return new SMTPSessionImpl(transport, config);
    }
}
