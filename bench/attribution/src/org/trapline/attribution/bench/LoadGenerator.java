package org.trapline.attribution.bench;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A RADIUS accounting load generator: several sockets, each keeping a window of requests outstanding
 * (closed loop: a new request goes out when an answer comes back), so the rate measured is the rate of
 * answered requests. Each session sends Start, Interim-Update and Stop. Bounded by packet count and time.
 */
final class LoadGenerator {
    record Result(long answered, long lost, double seconds) {
        double rate() {
            return answered / seconds;
        }
    }

    private final InetSocketAddress target;
    private final byte[] secret;
    private final int sockets;
    private final int window;

    LoadGenerator(InetSocketAddress target, String secret, int sockets, int window) {
        this.target = target;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.sockets = sockets;
        this.window = Math.min(window, 256);
    }

    Result run(long packets, double maxSeconds, String sessionPrefix) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            Thread t = new Thread(() -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.setSoTimeout(1000);
                    socket.setReceiveBufferSize(4 << 20);
                    socket.connect(target);
                    MessageDigest md5 = MessageDigest.getInstance("MD5");
                    int outstanding = 0;
                    int id = 0;
                    byte[] in = new byte[4096];
                    DatagramPacket reply = new DatagramPacket(in, in.length);
                    while (true) {
                        while (outstanding < window && System.nanoTime() < deadline) {
                            long n = next.getAndIncrement();
                            if (n >= packets) {
                                break;
                            }
                            byte[] p = packet(md5, id++ & 0xff, n, sessionPrefix);
                            socket.send(new DatagramPacket(p, p.length));
                            outstanding++;
                        }
                        if (outstanding == 0) {
                            return;
                        }
                        try {
                            socket.receive(reply);
                            outstanding--;
                            answered.incrementAndGet();
                        } catch (java.net.PortUnreachableException e) {
                            // Nobody listening yet (ICMP port unreachable): what was sent is lost.
                            lost.addAndGet(outstanding);
                            outstanding = 0;
                            if (System.nanoTime() >= deadline) {
                                return;
                            }
                            Thread.sleep(10);
                        } catch (SocketTimeoutException e) {
                            lost.addAndGet(outstanding);
                            outstanding = 0;
                            if (System.nanoTime() >= deadline) {
                                return;
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "load-" + s);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        // Requests still unanswered when a thread gave up count as lost (they waited a full second).
        return new Result(answered.get(), lost.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** Packet n: session n/3, status Start, Interim-Update or Stop. */
    private byte[] packet(MessageDigest md5, int id, long n, String prefix) {
        long session = n / 3;
        int status = switch ((int) (n % 3)) {
            case 0 -> 1;
            case 1 -> 3;
            default -> 2;
        };
        byte[] buf = new byte[200];
        int pos = 20;
        pos = string(buf, pos, 1, "user" + session + "@isp.example");
        pos = string(buf, pos, 44, prefix + session);
        pos = integer(buf, pos, 40, status);
        pos = bytes(buf, pos, 4, new byte[] {127, 0, 0, 1});
        int ip = (int) (session % (1 << 22));
        pos = bytes(buf, pos, 8, new byte[] {100, (byte) (64 + (ip >> 16)), (byte) (ip >> 8), (byte) ip});
        pos = integer(buf, pos, 55, (int) (1_763_900_000L + session + (n % 3) * 300));
        pos = integer(buf, pos, 46, (int) (n % 3) * 300);
        pos = string(buf, pos, 31, "00-11-22-33-44-55");
        buf[0] = 4;
        buf[1] = (byte) id;
        buf[2] = (byte) (pos >> 8);
        buf[3] = (byte) pos;
        md5.reset();
        md5.update(buf, 0, pos);
        md5.update(secret);
        byte[] auth = md5.digest();
        System.arraycopy(auth, 0, buf, 4, 16);
        return java.util.Arrays.copyOf(buf, pos);
    }

    /** Packet n as the decoded record the server journals (same session, status, times and attributes). */
    static org.trapline.attribution.session.AccountingEvent event(long n, String prefix) {
        long session = n / 3;
        org.trapline.attribution.session.AccountingStatus status = switch ((int) (n % 3)) {
            case 0 -> org.trapline.attribution.session.AccountingStatus.START;
            case 1 -> org.trapline.attribution.session.AccountingStatus.INTERIM_UPDATE;
            default -> org.trapline.attribution.session.AccountingStatus.STOP;
        };
        int ip = (int) (session % (1 << 22));
        return org.trapline.attribution.session.AccountingEvent.builder(status, "127.0.0.1")
                .userName("user" + session + "@isp.example").acctSessionId(prefix + session)
                .framedIpAddress("100." + (64 + (ip >> 16)) + "." + ((ip >> 8) & 0xff) + "." + (ip & 0xff))
                .eventTimestamp(java.time.Instant.ofEpochSecond(1_763_900_000L + session + (n % 3) * 300))
                .receivedAt(java.time.Instant.now()).sessionTime((n % 3) * 300).callingStationId("00-11-22-33-44-55").build();
    }

    private static int string(byte[] b, int pos, int type, String v) {
        return bytes(b, pos, type, v.getBytes(StandardCharsets.UTF_8));
    }

    private static int integer(byte[] b, int pos, int type, int v) {
        return bytes(b, pos, type, new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
    }

    private static int bytes(byte[] b, int pos, int type, byte[] v) {
        b[pos] = (byte) type;
        b[pos + 1] = (byte) (v.length + 2);
        System.arraycopy(v, 0, b, pos + 2, v.length);
        return pos + 2 + v.length;
    }
}
