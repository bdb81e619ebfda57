package org.trapline.attribution.accounting;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import org.trapline.common.Settings;
import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;

/**
 * Settings of the RADIUS accounting server.
 *
 * @param bind               UDP address and port (port 0: any free port, for tests)
 * @param clients            NASes allowed to send, most specific prefix first
 * @param batchSize          most records committed to the accounting journal in one append
 * @param duplicateWindow    how long a retransmission is answered from the cache
 * @param duplicateCacheSize most responses cached for retransmissions
 * @param receiveThreads     threads receiving, checking and decoding datagrams from the one socket
 */
public record AccountingServerSettings(
        InetSocketAddress bind,
        List<NasClient> clients,
        int batchSize,
        Duration duplicateWindow,
        int duplicateCacheSize,
        int receiveThreads) {

    public static final String BIND = "attribution.radius.bind";
    public static final String CLIENT_PREFIX = "attribution.radius.client.";
    public static final String CLIENT_SUFFIX = ".secret";
    public static final String BATCH_SIZE = "attribution.radius.batch-size";
    public static final String DUPLICATE_WINDOW = "attribution.radius.duplicate-window-seconds";
    public static final String DUPLICATE_CACHE_SIZE = "attribution.radius.duplicate-cache-size";
    public static final String RECEIVE_THREADS = "attribution.radius.receive-threads";

    public AccountingServerSettings {
        clients = clients.stream().sorted(Comparator.comparingInt((NasClient c) -> c.sources().length()).reversed()).toList();
    }

    public static AccountingServerSettings from(Properties p) {
        List<NasClient> clients = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(CLIENT_PREFIX) && key.endsWith(CLIENT_SUFFIX)) {
                String source = key.substring(CLIENT_PREFIX.length(), key.length() - CLIENT_SUFFIX.length());
                try {
                    clients.add(new NasClient(IpPrefix.parseMaskingHostBits(source), p.getProperty(key).trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": " + e.getMessage());
                }
            }
        }
        return new AccountingServerSettings(parseBind(Settings.string(p, BIND, "127.0.0.1:1813")), clients,
                (int) Settings.number(p, BATCH_SIZE, 1024, 1, 100_000), Settings.seconds(p, DUPLICATE_WINDOW, 30),
                (int) Settings.number(p, DUPLICATE_CACHE_SIZE, 100_000, 16, 10_000_000),
                (int) Settings.number(p, RECEIVE_THREADS, 2, 1, 64));
    }

    /** The same settings listening elsewhere ({@code bin/trapline run --radius-bind}). */
    public AccountingServerSettings withBind(InetSocketAddress newBind) {
        return new AccountingServerSettings(newBind, clients, batchSize, duplicateWindow, duplicateCacheSize, receiveThreads);
    }

    /** {@code HOST:PORT} or {@code [IPv6]:PORT}; HOST must be an address literal. */
    public static InetSocketAddress parseBind(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bind address '" + text + "': expected HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bind address '" + text + "': bad port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bind address '" + text + "': port out of range");
        }
        return new InetSocketAddress(IpAddress.parse(text.substring(0, colon)).toInetAddress(), port);
    }

    /** The client entry for a source address, if it is allowed. */
    public NasClient clientFor(java.net.InetAddress source) {
        IpAddress address = IpAddress.of(source);
        for (NasClient c : clients) {
            if (c.sources().contains(address)) {
                return c;
            }
        }
        return null;
    }
}
