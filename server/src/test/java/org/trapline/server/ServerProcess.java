package org.trapline.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code trapline run} in a child JVM (same class path as the tests), so a test can kill -9 it. */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ServerProcess start(Path conf, Path data, int port, Path log, String... extraArgs) throws Exception {
        return start(List.of(), conf, data, port, log, extraArgs);
    }

    /**
     * Like {@link #start(Path, Path, int, Path, String...)} with the kernel refusing to let the server grow
     * any file beyond {@code maxFileBytes} (RLIMIT_FSIZE; the JVM ignores SIGXFSZ, so writes fail with
     * EFBIG): a disk that fills up, for real, without filling the test machine's disk.
     */
    static ServerProcess startWithFileSizeLimit(long maxFileBytes, Path conf, Path data, int port, Path log) throws Exception {
        return start(List.of("/bin/sh", "-c", "ulimit -f " + maxFileBytes / 1024 + " && exec \"$@\"", "sh"), conf, data, port, log);
    }

    private static ServerProcess start(List<String> wrapper, Path conf, Path data, int port, Path log, String... extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--conf", conf.toString(), "--data", data.toString(), "--smtp-bind", "127.0.0.1:" + port, "--radius-bind", "127.0.0.1:0"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess sp = new ServerProcess(p, port, log);
        sp.awaitListening(Duration.ofSeconds(60));
        return sp;
    }

    private void awaitListening(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ": " + java.nio.file.Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server did not listen within " + timeout);
    }

    /** SIGKILL: no shutdown hook, no flush, exactly what a crash or the OOM killer does. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator's stop does. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
