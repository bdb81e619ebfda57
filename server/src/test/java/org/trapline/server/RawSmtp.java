package org.trapline.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket to the MX that sends exactly the bytes it is given and reads the server's lines as they come,
 * for tests that play a broken or hostile client (bare LF, no greeting expected, abrupt resets).
 */
final class RawSmtp implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawSmtp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the MX on loopback from {@code from} (any 127.x.y.z address on Linux). */
    static RawSmtp connect(int port, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(30_000);
        return new RawSmtp(s);
    }

    static RawSmtp connect(int port) throws IOException {
        return connect(port, "127.0.0.1");
    }

    /** One line as sent by the server, without its CRLF; null at end of stream. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** All lines of one (possibly multi-line) reply. */
    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        do {
            l = line();
            if (l == null) {
                throw new IOException("connection closed by server after " + lines);
            }
            lines.add(l);
        } while (l.length() > 3 && l.charAt(3) == '-');
        return lines;
    }

    /** The last line of the next reply. */
    String lastLine() throws IOException {
        List<String> r = reply();
        return r.get(r.size() - 1);
    }

    RawSmtp send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawSmtp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends the command and returns the last line of its reply. */
    String command(String line) throws IOException {
        return send(line + "\r\n").lastLine();
    }

    /** Whether the server closes the connection within {@code millis}; lines it sends meanwhile are discarded. */
    boolean closedWithin(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(30_000);
        }
    }

    /** Closes with a TCP reset instead of a FIN, as a crashing bot or a scanner does. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
