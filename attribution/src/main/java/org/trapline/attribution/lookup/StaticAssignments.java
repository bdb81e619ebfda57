package org.trapline.attribution.lookup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;

/**
 * Fixed addresses of customers without RADIUS sessions, from a file of lines {@code PREFIX SUBSCRIBER}
 * ({@code #} starts a comment). The most specific prefix wins.
 */
public final class StaticAssignments {
    /** One line of the file. */
    public record Assignment(IpPrefix prefix, String subscriber) {
    }

    private static final StaticAssignments NONE = new StaticAssignments(List.of());

    // Longest prefix first, so the first hit is the most specific.
    private final TreeMap<Integer, Map<IpPrefix, Assignment>> byLength = new TreeMap<>((a, b) -> b - a);

    public StaticAssignments(List<Assignment> assignments) {
        for (Assignment a : assignments) {
            byLength.computeIfAbsent(a.prefix().length(), k -> new HashMap<>()).put(a.prefix(), a);
        }
    }

    public static StaticAssignments none() {
        return NONE;
    }

    /**
     * Reads the file.
     *
     * @throws IllegalArgumentException naming file and line of the first bad line (a misread
     *                                  assignment would blame the wrong customer, so none is skipped)
     */
    public static StaticAssignments load(Path file) throws IOException {
        List<Assignment> list = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String[] parts = content.split("\\s+", 2);
            if (parts.length < 2) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'PREFIX SUBSCRIBER', got '" + content + "'");
            }
            try {
                list.add(new Assignment(IpPrefix.parseMaskingHostBits(parts[0]), parts[1].trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new StaticAssignments(list);
    }

    public Optional<Assignment> find(IpAddress address) {
        for (Map.Entry<Integer, Map<IpPrefix, Assignment>> e : byLength.entrySet()) {
            if (e.getKey() > address.bitLength()) {
                continue; // an IPv6 length applied to an IPv4 address
            }
            Assignment a = e.getValue().get(IpPrefix.of(address, e.getKey()));
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public int size() {
        return byLength.values().stream().mapToInt(Map::size).sum();
    }
}
