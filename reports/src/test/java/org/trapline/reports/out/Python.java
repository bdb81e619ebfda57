package org.trapline.reports.out;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the test resources' python3 scripts: a reader of our reports that is not our own code. */
public final class Python {
    public record Run(int exit, String out, String err) {
    }

    private Python() {
    }

    /** Whether {@code python3} can import the module (e.g. jsonschema from Debian's python3-jsonschema). */
    public static boolean has(String module) throws IOException, InterruptedException {
        return run(List.of("python3", "-c", "import " + module)).exit() == 0;
    }

    public static Run script(Path dir, String script, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve(script);
        try (InputStream in = Python.class.getResourceAsStream("/python/" + script)) {
            Files.copy(in, file);
        }
        List<String> command = new ArrayList<>(List.of("python3", file.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python3 did not finish: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
