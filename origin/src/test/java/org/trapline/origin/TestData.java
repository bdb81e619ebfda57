package org.trapline.origin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared, read-only test data under ../shared/testdata. */
final class TestData {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestData() {
    }

    static Path root() {
        String repo = System.getProperty("trapline.repo");
        Path base = repo != null ? Path.of(repo) : Path.of("..").toAbsolutePath().normalize();
        Path p = base.resolve("../shared/testdata").normalize();
        if (!Files.isDirectory(p)) {
            p = Path.of("/work/shared/testdata");
        }
        return p;
    }

    static List<JsonNode> jsonl(String name) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(root().resolve("received").resolve(name))) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
