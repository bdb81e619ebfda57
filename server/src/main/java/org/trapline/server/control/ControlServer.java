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
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The running server's control socket, {@code <data>/control.sock}: a Unix domain socket through which
 * {@code bin/trapline} runs its commands inside the server that owns the data directory. It is a file in
 * the data directory (mode 0700, made so at start), so only the Trapline user (and root) can connect:
 * the kernel checks that, no password is involved, and nothing listens on the network.
 */
public final class ControlServer implements AutoCloseable {
    public static final String SOCKET = "control.sock";
    /** Commands run at once; a client beyond them is told to retry. */
    private static final int MAX_COMMANDS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path path;
    private final ServerSocketChannel channel;
    private final CommandRunner runner;
    private final ExecutorService commands;
    private final Thread acceptor;

    private ControlServer(Path path, ServerSocketChannel channel, CommandRunner runner) {
        this.path = path;
        this.channel = channel;
        this.runner = runner;
        this.commands = new ThreadPoolExecutor(0, MAX_COMMANDS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "trapline-control-command");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::accept, "trapline-control");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds {@code <dataDir>/control.sock}, replacing a socket file an earlier run left behind (the caller
     * holds the data directory's lock, so no live server owns it), and starts accepting.
     */
    public static ControlServer start(Path dataDir, CommandRunner runner) throws IOException {
        Path path = dataDir.resolve(SOCKET);
        Files.deleteIfExists(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
            // The directory already keeps others out; the socket itself says so too.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        ControlServer server = new ControlServer(path, channel, runner);
        server.acceptor.start();
        return server;
    }

    public Path path() {
        return path;
    }

    private void accept() {
        while (channel.isOpen()) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                LOG.warn("control socket: {}", e.toString());
                continue;
            }
            try {
                commands.execute(() -> serve(client));
            } catch (java.util.concurrent.RejectedExecutionException busy) {
                refuse(client);
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(ChannelStreams.in(client)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(ChannelStreams.out(client)));
            Frames.Frame first = Frames.read(in);
            if (first == null || first.type() != Frames.ARGUMENTS) {
                return;
            }
            JsonNode request = JSON.readTree(new String(first.payload(), StandardCharsets.UTF_8));
            List<String> argv = new ArrayList<>();
            request.path("argv").forEach(a -> argv.add(a.asText()));
            Path cwd = Path.of(request.path("cwd").asText("/"));
            int code;
            try (OutputStream stdout = new FrameOutputStream(out, Frames.STDOUT);
                 OutputStream stderr = new FrameOutputStream(out, Frames.STDERR)) {
                code = runner.run(argv, cwd, new RequestedInput(in, out), stdout, stderr);
            }
            Frames.writeExit(out, code);
        } catch (IOException e) {
            // The client went away (Ctrl-C, a closed pipe): nothing to answer.
            LOG.debug("control client: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("control command failed: {}", e.toString());
        }
    }

    private static void refuse(SocketChannel client) {
        try (client) {
            DataOutputStream out = new DataOutputStream(ChannelStreams.out(client));
            Frames.write(out, Frames.STDERR, ("trapline: the server runs " + MAX_COMMANDS
                    + " commands already; try again in a moment\n").getBytes(StandardCharsets.UTF_8));
            Frames.writeExit(out, 1);
        } catch (IOException ignored) {
            // it has gone already
        }
    }

    /** Stops accepting, lets running commands finish for a moment, and removes the socket file. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        commands.shutdown();
        try {
            commands.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the next start replaces it
        }
    }

    /** Bytes a command writes, sent to the client as frames of one type. */
    private static final class FrameOutputStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;
        private final byte[] buffer = new byte[64 * 1024];
        private int used;

        FrameOutputStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                flush();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buffer.length - used) {
                flush();
            }
            if (len >= buffer.length) {
                Frames.write(out, type, b, off, len);
            } else {
                System.arraycopy(b, off, buffer, used, len);
                used += len;
            }
        }

        @Override
        public void flush() throws IOException {
            if (used > 0) {
                Frames.write(out, type, buffer, 0, used);
                used = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** The client's standard input, asked for when the command first reads it. */
    private static final class RequestedInput extends InputStream {
        private final DataInputStream in;
        private final DataOutputStream out;
        private boolean asked;
        private boolean ended;
        private byte[] chunk = new byte[0];
        private int pos;

        RequestedInput(DataInputStream in, DataOutputStream out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            return ChannelStreams.readOne(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == chunk.length) {
                if (ended) {
                    return -1;
                }
                if (!asked) {
                    asked = true;
                    Frames.write(out, Frames.WANT_STDIN, new byte[0]);
                }
                Frames.Frame f = Frames.read(in);
                if (f == null || f.type() == Frames.STDIN_END) {
                    ended = true;
                } else if (f.type() == Frames.STDIN) {
                    chunk = f.payload();
                    pos = 0;
                } else {
                    throw new IOException("unexpected control frame " + (char) f.type());
                }
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
