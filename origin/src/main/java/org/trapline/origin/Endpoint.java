package org.trapline.origin;

/**
 * How staff see a client's socket: {@code 192.0.2.1:52143}, {@code [2001:db8::1]:52143} (brackets
 * keep the port apart from an IPv6 address's colons), or the bare address when the source port is
 * unknown. Behind carrier-grade NAT the address alone names nobody; the port is what a NAT log is
 * searched by.
 */
public final class Endpoint {

    /** The value of a port that nobody recorded. TCP never uses port 0 as a source port. */
    public static final int UNKNOWN_PORT = 0;

    private Endpoint() {
    }

    /** {@code ip:port}, {@code [ipv6]:port}, or {@code ip} when {@code port} is {@link #UNKNOWN_PORT}. */
    public static String of(String ip, int port) {
        if (port == UNKNOWN_PORT) {
            return ip;
        }
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    /** The port itself when it is a TCP port (1..65535), else {@link #UNKNOWN_PORT}. */
    static int checked(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port (1..65535, 0 for unknown)");
        }
        return port;
    }
}
