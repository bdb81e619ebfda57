package org.trapline.server.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs a command line inside the server that owns a data directory, through its {@link ControlServer}. */
public final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlClient() {
    }

    /**
     * Connects to {@code <dataDir>/control.sock}, or throws {@link IOException} at once when nothing
     * listens there (no server, or one still locking its data directory).
     */
    public static SocketChannel connect(Path dataDir) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(dataDir.resolve(ControlServer.SOCKET)));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * Sends the command, copies what it prints to {@code stdout} and {@code stderr}, feeds it {@code stdin}
     * if it asks, and returns its exit code.
     */
    public static int run(SocketChannel channel, List<String> argv, Path cwd, InputStream stdin, OutputStream stdout,
                          OutputStream stderr) throws IOException {
        try (channel) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(ChannelStreams.in(channel)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(ChannelStreams.out(channel)));
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("argv", argv);
            request.put("cwd", cwd.toAbsolutePath().toString());
            Frames.write(out, Frames.ARGUMENTS, JSON.writeValueAsBytes(request));
            while (true) {
                Frames.Frame f = Frames.read(in);
                if (f == null) {
                    stderr.write("trapline: the server closed the connection before the command ended\n".getBytes(StandardCharsets.UTF_8));
                    stderr.flush();
                    return 1;
                }
                switch (f.type()) {
                    case Frames.STDOUT -> {
                        stdout.write(f.payload());
                        stdout.flush();
                    }
                    case Frames.STDERR -> {
                        stderr.write(f.payload());
                        stderr.flush();
                    }
                    case Frames.WANT_STDIN -> feed(stdin, out);
                    case Frames.EXIT -> {
                        return Frames.exitCode(f.payload());
                    }
                    default -> throw new IOException("unexpected control frame " + (char) f.type());
                }
            }
        }
    }

    /** Copies standard input to the server on a thread of its own, so output keeps flowing meanwhile. */
    private static void feed(InputStream stdin, DataOutputStream out) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = stdin.read(buffer)) > 0) {
                    Frames.write(out, Frames.STDIN, buffer, 0, n);
                }
                Frames.write(out, Frames.STDIN_END, new byte[0]);
            } catch (IOException ignored) {
                // the command ended before its input did
            }
        }, "trapline-stdin");
        pump.setDaemon(true);
        pump.start();
    }
}
