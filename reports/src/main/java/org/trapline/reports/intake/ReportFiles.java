package org.trapline.reports.intake;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reports in a file argument: a Maildir (its {@code new/} and {@code cur/} messages, by name; the
 * {@code tmp/} ones are still being written), an mbox (messages split at "From " lines, mboxrd's
 * "&gt;From " unquoted), or one mail or JSON file. Each report is at most {@link #MAX_REPORT_BYTES};
 * a larger one is named with its size and not read, so one giant report cannot take the memory of
 * all the others.
 */
public final class ReportFiles {
    /** Largest report read. */
    public static final int MAX_REPORT_BYTES = 32 * 1024 * 1024;

    /** One report's bytes, or why it could not be read. */
    public record Item(String label, byte[] bytes, String error) {
        static Item of(String label, byte[] bytes) {
            return new Item(label, bytes, null);
        }

        static Item failed(String label, String error) {
            return new Item(label, null, error);
        }
    }

    /** Receives each report in order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Item item);
    }

    private ReportFiles() {
    }

    /**
     * Hands every report in {@code path} to the sink, in order.
     *
     * @throws IOException with a one-line message when the path cannot be read at all
     */
    public static void read(Path path, Sink sink) throws IOException {
        if (Files.isDirectory(path)) {
            maildir(path, sink);
            return;
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        if (!Files.isReadable(path)) {
            throw new IOException(path + ": not readable");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
            in.mark(5);
            byte[] head = in.readNBytes(5);
            in.reset();
            if (Arrays.equals(head, "From ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                mbox(path.toString(), in, sink);
            } else {
                long size = Files.size(path);
                if (size > MAX_REPORT_BYTES) {
                    sink.accept(Item.failed(path.toString(), "report of " + size + " bytes is larger than " + MAX_REPORT_BYTES + "; not read"));
                } else {
                    sink.accept(Item.of(path.toString(), in.readAllBytes()));
                }
            }
        }
    }

    private static void maildir(Path dir, Sink sink) throws IOException {
        if (!Files.isDirectory(dir.resolve("new")) && !Files.isDirectory(dir.resolve("cur"))) {
            throw new IOException(dir + ": a directory but not a Maildir (no new/ or cur/)");
        }
        for (String sub : List.of("new", "cur")) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                for (Path p : s) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                        files.add(p);
                    }
                }
            }
            files.sort(null);
            for (Path p : files) {
                long size = Files.size(p);
                if (size > MAX_REPORT_BYTES) {
                    sink.accept(Item.failed(p.toString(), "report of " + size + " bytes is larger than " + MAX_REPORT_BYTES + "; not read"));
                    continue;
                }
                try {
                    sink.accept(Item.of(p.toString(), Files.readAllBytes(p)));
                } catch (IOException e) {
                    sink.accept(Item.failed(p.toString(), "not readable: " + e.getMessage()));
                }
            }
        }
    }

    /** Splits an mbox at lines that start "From "; the label is {@code FILE:N}, N counting from 1. */
    private static void mbox(String label, InputStream in, Sink sink) throws IOException {
        ByteArrayOutputStream current = null;
        boolean tooLarge = false;
        long size = 0;
        int n = 0;
        byte[] line;
        while ((line = readLine(in)) != null) {
            if (startsWith(line, "From ")) {
                if (current != null || tooLarge) {
                    emit(sink, label + ":" + n, current, tooLarge, size);
                }
                n++;
                current = new ByteArrayOutputStream();
                tooLarge = false;
                size = 0;
                continue; // the separator is not part of the message
            }
            if (current == null && !tooLarge) {
                continue;
            }
            byte[] unquoted = isQuotedFrom(line) ? Arrays.copyOfRange(line, 1, line.length) : line;
            size += unquoted.length;
            if (size > MAX_REPORT_BYTES) {
                tooLarge = true;
                current = null;
            } else if (!tooLarge) {
                current.write(unquoted);
            }
        }
        if (current != null || tooLarge) {
            emit(sink, label + ":" + n, current, tooLarge, size);
        }
    }

    private static void emit(Sink sink, String label, ByteArrayOutputStream current, boolean tooLarge, long size) {
        if (tooLarge) {
            sink.accept(Item.failed(label, "report larger than " + MAX_REPORT_BYTES + " bytes; not read"));
        } else {
            sink.accept(Item.of(label, stripSeparatorBlank(current.toByteArray())));
        }
    }

    /** mbox writes a blank line before the next "From "; it belongs to the file, not the message. */
    private static byte[] stripSeparatorBlank(byte[] b) {
        int end = b.length;
        if (end >= 2 && b[end - 1] == '\n' && b[end - 2] == '\n') {
            end--;
        } else if (end >= 4 && b[end - 1] == '\n' && b[end - 2] == '\r' && b[end - 3] == '\n') {
            end -= 2;
        }
        return end == b.length ? b : Arrays.copyOf(b, end);
    }

    private static boolean isQuotedFrom(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] == '>') {
            i++;
        }
        return i > 0 && line.length - i >= 5 && line[i] == 'F' && line[i + 1] == 'r' && line[i + 2] == 'o'
                && line[i + 3] == 'm' && line[i + 4] == ' ';
    }

    private static boolean startsWith(byte[] line, String prefix) {
        if (line.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** One line with its line end, or null at the end; a line longer than the report limit is cut into pieces. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n' || line.size() >= 1024 * 1024) {
                break;
            }
        }
        return line.size() == 0 && c < 0 ? null : line.toByteArray();
    }
}
