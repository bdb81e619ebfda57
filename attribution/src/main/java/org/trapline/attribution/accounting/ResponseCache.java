package org.trapline.attribution.accounting;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers sent recently, by request (source, identifier, authenticator), so that a retransmitted
 * request gets the same answer again (RFC 2866 section 2) instead of being recorded twice or ignored.
 * Bounded in size and age: under any load it holds at most {@code maxEntries}.
 */
final class ResponseCache {
    /** A request as the NAS identifies it. */
    record Key(InetAddress source, int port, int identifier, long authHigh, long authLow) {
        static Key of(InetAddress source, int port, int identifier, byte[] authenticator) {
            long hi = 0, lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (authenticator[i] & 0xff);
                lo = (lo << 8) | (authenticator[i + 8] & 0xff);
            }
            return new Key(source, port, identifier, hi, lo);
        }
    }

    /** What is known of a request: when it arrived, and its answer once committed. */
    static final class Entry {
        final long arrivedNanos;
        volatile byte[] response;

        Entry(long arrivedNanos) {
            this.arrivedNanos = arrivedNanos;
        }
    }

    private final int maxEntries;
    private final long windowNanos;
    private final LinkedHashMap<Key, Entry> entries;

    ResponseCache(int maxEntries, long windowNanos) {
        this.maxEntries = maxEntries;
        this.windowNanos = windowNanos;
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16) * 2);
    }

    /**
     * The entry of an earlier copy of this request still within the window, or null after reserving
     * an entry for this new request.
     */
    synchronized Entry seenOrReserve(Key key, long nowNanos) {
        Entry old = entries.get(key);
        if (old != null && nowNanos - old.arrivedNanos <= windowNanos) {
            return old;
        }
        if (old != null) {
            entries.remove(key);
        }
        entries.put(key, new Entry(nowNanos));
        evict(nowNanos);
        return null;
    }

    synchronized void complete(Key key, byte[] response) {
        Entry e = entries.get(key);
        if (e != null) {
            e.response = response;
        }
    }

    /** Forgets a request that was not answered, so that its retransmission is processed afresh. */
    synchronized void forget(Key key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }

    private void evict(long nowNanos) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        int excess = entries.size() - maxEntries;
        while (it.hasNext()) {
            Entry e = it.next().getValue();
            if (excess > 0 || nowNanos - e.arrivedNanos > windowNanos) {
                it.remove();
                excess--;
            } else {
                break;
            }
        }
    }

    @Override
    public String toString() {
        return "ResponseCache[" + size() + "/" + maxEntries + "]";
    }
}
