package org.trapline.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb SMTP client for tests: it sends exactly the bytes it is told to, so tests can
 * speak like a spam bot (odd addresses, oversized DATA) and see the server's literal replies.
 */
final class SmtpClient implements AutoCloseable {
    record Reply(int code, String text) {
        boolean positive() {
            return code >= 200 && code < 400;
        }
    }

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        Reply greeting = read();
        if (greeting.code() != 220) {
            throw new IOException("unexpected greeting " + greeting);
        }
    }

    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read();
    }

    /** Sends the message bytes (CRLF line ends, dot-stuffed here) and the final dot. */
    Reply data(byte[] message) throws IOException {
        Reply r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        out.write(dotStuff(message));
        out.write(".\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read();
    }

    /** Sends the bytes as they are in one write (RFC 2920 pipelining) and reads that many replies. */
    List<Reply> pipelined(byte[] bytes, int replies) throws IOException {
        out.write(bytes);
        out.flush();
        List<Reply> read = new ArrayList<>();
        for (int i = 0; i < replies; i++) {
            read.add(read());
        }
        return read;
    }

    /** EHLO, MAIL FROM, every RCPT TO (must all be accepted), DATA: the reply to the final dot. */
    Reply send(String from, List<String> to, byte[] message) throws IOException {
        Reply r = command("MAIL FROM:<" + from + ">");
        if (!r.positive()) {
            return r;
        }
        for (String rcpt : to) {
            r = command("RCPT TO:<" + rcpt + ">");
            if (!r.positive()) {
                return r;
            }
        }
        return data(message);
    }

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed by server after " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return new Reply(Integer.parseInt(line.substring(0, 3)),
                String.join("\n", lines.stream().map(l -> l.length() > 4 ? l.substring(4) : "").toList()));
    }

    /** Normalises line ends to CRLF (James refuses bare LF as SMTP smuggling) and dot-stuffs. */
    /**
     * Sends {@code count} small messages over one session, each to its own trap address, and checks every
     * answer is 250; Message-IDs are {@code <tag-i@zombie.example>}.
     */
    static void sendNumbered(int port, String tag, int count) throws IOException {
        try (SmtpClient c = new SmtpClient("127.0.0.1", port)) {
            c.command("EHLO zombie.example");
            for (int i = 0; i < count; i++) {
                byte[] msg = ("Subject: " + tag + " " + i + "\r\nMessage-ID: <" + tag + "-" + i + "@zombie.example>\r\n\r\nbody " + i + "\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                Reply r = c.send("s@zombie.example", java.util.List.of("trap" + i + "@trap.example.net"), msg);
                if (r.code() != 250) {
                    throw new AssertionError("message " + i + " answered " + r);
                }
            }
        }
    }

    static byte[] dotStuff(byte[] message) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(message.length + 1024);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte c = message[i];
            if (c == '\r') {
                continue;
            }
            if (c == '\n') {
                b.write('\r');
                b.write('\n');
                lineStart = true;
                continue;
            }
            if (lineStart && c == '.') {
                b.write('.');
            }
            b.write(c);
            lineStart = false;
        }
        if (!lineStart) {
            b.write('\r');
            b.write('\n');
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // The server may already have closed the connection.
        }
        socket.close();
    }
}
