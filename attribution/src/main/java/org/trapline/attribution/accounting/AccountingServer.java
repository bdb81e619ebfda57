package org.trapline.attribution.accounting;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.attribution.journal.AccountingJournal;
import org.trapline.attribution.session.AccountingEvent;
import org.trapline.common.net.IpAddress;

/**
 * RADIUS accounting server (RFC 2866) committing into the {@link AccountingJournal}, from which the
 * session store is fed: a plain UDP loop over TinyRadius's packet codec (through {@link AccountingPacket}),
 * without TinyRadius's server class, whose 1.1.3 loses or delays records in the ways this one does not:
 * <ul>
 * <li>an Accounting-Response goes out only after its record is committed to the journal; records are
 * committed in batches (one append per batch) by one writer thread, so throughput does not pay one
 * write per packet;</li>
 * <li>a retransmission gets the cached response again (1.1.3 ignores it, so the NAS never hears back);</li>
 * <li>the duplicate cache is bounded in entries and age (1.1.3's grows without bound under load);</li>
 * <li>{@link #start()} binds in the caller's thread and throws if it cannot (1.1.3 dies in a background
 * thread and leaves a process that does not listen);</li>
 * <li>Status-Server (RFC 5997) from a known client is answered at once ({@link StatusServer}), so health
 * checks of FreeRADIUS and NASes see the listener alive without touching the journal;</li>
 * <li>nothing is logged per packet; an unknown client, a bad authenticator or a malformed packet (an
 * attribute of the wrong length included, see {@link AccountingPacket#toEvent}) is dropped unanswered,
 * counted and logged once per source, never with the secret.</li>
 * </ul>
 */
public final class AccountingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccountingServer.class);
    /** Sources remembered for "log once"; past this many, new sources are only counted. */
    private static final int MAX_REPORTED_SOURCES = 10_000;
    private static final Pending END = new Pending(null, null, null, null, 0);

    private record Pending(AccountingEvent event, ResponseCache.Key key, byte[] response, InetAddress to, int port) {
    }

    private final AccountingServerSettings settings;
    private final AccountingJournal journal;
    private final ResponseCache cache;
    private final BlockingQueue<Pending> queue;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final LongAdder received = new LongAdder(), acknowledged = new LongAdder(), retransmissions = new LongAdder(),
            inFlight = new LongAdder(), unknownClient = new LongAdder(), badAuthenticator = new LongAdder(),
            malformed = new LongAdder(), storeFailures = new LongAdder(), batches = new LongAdder(), statusServer = new LongAdder();
    private final AtomicLong lastStoreFailureLog = new AtomicLong();

    private volatile DatagramSocket socket;
    private volatile boolean stopping;
    private final List<Thread> receivers = new ArrayList<>();
    private Thread writer;

    private final ThreadLocal<MessageDigest> md5 = ThreadLocal.withInitial(AccountingPacket::md5);

    /** The journal stays open after {@link #stop()} (it belongs to the caller). */
    public AccountingServer(AccountingServerSettings settings, AccountingJournal journal) {
        this.settings = settings;
        this.journal = journal;
        this.cache = new ResponseCache(settings.duplicateCacheSize(), settings.duplicateWindow().toNanos());
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, settings.batchSize() * 8));
    }

    /**
     * Binds the socket and starts receiving.
     *
     * @throws IOException (e.g. {@link java.net.BindException}) if the address cannot be bound; nothing is left running
     */
    public synchronized void start() throws IOException {
        if (socket != null) {
            throw new IllegalStateException("already started");
        }
        DatagramSocket s = new DatagramSocket(null);
        try {
            s.setReceiveBufferSize(8 << 20);
            s.bind(settings.bind());
            // Lets the receiver notice stop() without closing the socket the writer still answers on.
            s.setSoTimeout(200);
        } catch (IOException e) {
            s.close();
            throw new java.net.BindException("cannot listen for RADIUS accounting on " + settings.bind() + ": " + e.getMessage());
        }
        socket = s;
        stopping = false;
        writer = new Thread(this::writeLoop, "radius-acct-writer");
        writer.start();
        // Several receivers: checking authenticators and decoding overlaps with waiting in receive().
        receivers.clear();
        for (int i = 0; i < settings.receiveThreads(); i++) {
            Thread t = new Thread(() -> listen(s), "radius-acct-receiver-" + i);
            receivers.add(t);
            t.start();
        }
        log.info("RADIUS accounting listening on {} for {} NAS client entries", localAddress(), settings.clients().size());
    }

    /**
     * Stops receiving, commits and answers what was already received, and closes the socket. The
     * journal stays open (it belongs to the caller).
     */
    public synchronized void stop() {
        DatagramSocket s = socket;
        if (s == null) {
            return;
        }
        stopping = true;
        try {
            for (Thread t : receivers) {
                t.join(10_000);
            }
            queue.put(END);
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s.close();
        socket = null;
        log.info("RADIUS accounting stopped: {}", counters());
    }

    @Override
    public void close() {
        stop();
    }

    /** Where the server listens (the actual port when the settings asked for port 0). */
    public InetSocketAddress localAddress() {
        DatagramSocket s = socket;
        return s == null ? null : (InetSocketAddress) s.getLocalSocketAddress();
    }

    public AccountingCounters counters() {
        return new AccountingCounters(received.sum(), acknowledged.sum(), retransmissions.sum(), inFlight.sum(),
                unknownClient.sum(), badAuthenticator.sum(), malformed.sum(), storeFailures.sum(), batches.sum(), statusServer.sum());
    }

    /** Entries in the retransmission cache (bounded by the settings). */
    public int cacheSize() {
        return cache.size();
    }

    /** Receives until {@link #stop()} (in each receiver thread); one datagram at a time, handed to the writer once checked. */
    private void listen(DatagramSocket s) {
        byte[] buffer = new byte[4096];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        while (!stopping) {
            try {
                in.setData(buffer);
                s.receive(in);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (stopping || s.isClosed()) {
                    return;
                }
                log.warn("receiving RADIUS accounting: {}", e.getMessage());
                continue;
            }
            received.increment();
            try {
                handle(s, in);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Hostile input must never stop the listener.
                malformed.increment();
                report("error", in.getAddress(), e.toString());
            }
        }
    }

    private void handle(DatagramSocket s, DatagramPacket in) throws InterruptedException {
        InetAddress source = in.getAddress();
        NasClient client = settings.clientFor(source);
        if (client == null) {
            unknownClient.increment();
            report("unknown-client", source, "RADIUS accounting from " + IpAddress.of(source)
                    + ", which is not a configured NAS client: dropped (further packets from it are only counted)");
            return;
        }
        byte[] data = in.getData();
        int length = in.getLength();
        AccountingPacket packet;
        try {
            if (length > 0 && (data[0] & 0xff) == StatusServer.STATUS_SERVER) {
                byte[] alive = StatusServer.answer(data, length, client.secretBytes(), md5.get());
                statusServer.increment();
                send(s, alive, source, in.getPort());
                return;
            }
            packet = AccountingPacket.verify(data, length, client.secretBytes(), md5.get());
        } catch (AccountingPacket.Refused r) {
            if (r.problem() == AccountingPacket.Problem.BAD_AUTHENTICATOR) {
                badAuthenticator.increment();
                report("bad-authenticator", source, "RADIUS accounting from " + IpAddress.of(source)
                        + " with a bad authenticator (shared secret mismatch?): dropped (further ones from it are only counted)");
            } else {
                malformed.increment();
                report("malformed", source, "malformed RADIUS packet from " + IpAddress.of(source) + ": " + r.getMessage());
            }
            return;
        }
        ResponseCache.Key key = ResponseCache.Key.of(source, in.getPort(), packet.identifier(), packet.authenticator());
        ResponseCache.Entry seen = cache.seenOrReserve(key, System.nanoTime());
        if (seen != null) {
            byte[] answer = seen.response;
            if (answer == null) {
                inFlight.increment();
            } else {
                retransmissions.increment();
                send(s, answer, source, in.getPort());
            }
            return;
        }
        AccountingEvent event;
        try {
            event = packet.toEvent(source, Instant.now());
        } catch (AccountingPacket.Refused r) {
            cache.forget(key);
            malformed.increment();
            report("malformed", source, "unusable accounting record from " + IpAddress.of(source) + ": " + r.getMessage());
            return;
        }
        queue.put(new Pending(event, key, packet.response(client.secretBytes(), md5.get()), source, in.getPort()));
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(settings.batchSize());
        List<AccountingEvent> events = new ArrayList<>(settings.batchSize());
        boolean ending = false;
        while (!ending) {
            batch.clear();
            events.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, settings.batchSize() - 1);
            // END is queued after the receivers stopped, so it can only come last (compared by identity:
            // a record's equals would compare every field of every entry).
            ending = batch.get(batch.size() - 1) == END;
            if (ending) {
                batch.remove(batch.size() - 1);
            }
            for (Pending p : batch) {
                events.add(p.event());
            }
            if (events.isEmpty()) {
                continue;
            }
            try {
                journal.commit(events);
            } catch (IOException | RuntimeException e) {
                // Not committed, so not answered: the NASes retransmit, and the retransmissions are taken afresh.
                for (Pending p : batch) {
                    storeFailures.increment();
                    cache.forget(p.key());
                }
                logStoreFailure(batch.get(0), e);
                continue;
            }
            batches.increment();
            DatagramSocket s = socket;
            for (Pending p : batch) {
                cache.complete(p.key(), p.response());
                // Counted before sending, so a NAS that has its answer never sees an older count.
                acknowledged.increment();
                if (s != null) {
                    send(s, p.response(), p.to(), p.port());
                }
            }
        }
    }

    private void logStoreFailure(Pending p, Exception e) {
        long now = System.currentTimeMillis();
        long last = lastStoreFailureLog.get();
        if (now - last > 10_000 && lastStoreFailureLog.compareAndSet(last, now)) {
            log.error("cannot commit accounting records to the journal (from {} and others; left unanswered, the NASes will retry): {}",
                    IpAddress.of(p.to()), e.toString());
        }
    }

    private void send(DatagramSocket s, byte[] answer, InetAddress to, int port) {
        try {
            s.send(new DatagramPacket(answer, answer.length, to, port));
        } catch (IOException e) {
            if (!s.isClosed()) {
                report("send", to, "cannot answer " + IpAddress.of(to) + ": " + e.getMessage());
            }
        }
    }

    private void report(String problem, InetAddress source, String message) {
        if (reported.size() < MAX_REPORTED_SOURCES && reported.add(problem + " " + IpAddress.of(source))) {
            log.warn(message);
        }
    }

    @Override
    public String toString() {
        return "AccountingServer[" + settings.bind() + ", " + Arrays.toString(settings.clients().toArray()) + "]";
    }
}
