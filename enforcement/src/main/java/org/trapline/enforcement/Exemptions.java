package org.trapline.enforcement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;

/**
 * Subscribers and address prefixes never acted on automatically (the provider's own servers, business
 * lines): their hits still count and are evidence, but what the policy decides for them waits for
 * review. From the file named by {@value #FILE_KEY} (relative to the conf directory): one subscriber
 * name, IPv4 or IPv6 address or CIDR prefix per line, {@code #} starts a comment.
 *
 * <p>A line is an address when it is made of hex digits, dots, colons and a slash and has a dot or a
 * colon; any other line is a subscriber, matched without regard to case. A bad line is an error naming
 * the file and line: a list that protects customers must not lose an entry to a typo.
 */
public final class Exemptions {
    /** Settings key naming the file; blank: nobody is exempt. */
    public static final String FILE_KEY = "action.exempt-file";

    /** One line of the file, as {@code FILE:LINE} for the journal. */
    private record Entry(String where, String text) {}

    private record PrefixEntry(IpPrefix prefix, Entry entry) {}

    private static final Exemptions NONE = new Exemptions(Map.of(), List.of());

    private final Map<String, Entry> subscribers;
    private final List<PrefixEntry> prefixes;

    private Exemptions(Map<String, Entry> subscribers, List<PrefixEntry> prefixes) {
        this.subscribers = Map.copyOf(subscribers);
        this.prefixes = List.copyOf(prefixes);
    }

    public static Exemptions none() {
        return NONE;
    }

    /** Subscribers and prefixes listed. */
    public int size() {
        return subscribers.size() + prefixes.size();
    }

    /**
     * Reads the file.
     *
     * @throws IllegalArgumentException {@code FILE:LINE: what is wrong}, or that the file cannot be read
     */
    public static Exemptions load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE_KEY + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Entry> subscribers = new HashMap<>();
        List<PrefixEntry> prefixes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) continue;
            String where = file + ":" + (i + 1);
            if (content.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException(where + ": one subscriber or prefix per line, got '"
                        + content.replaceAll("\\p{Cntrl}", "?") + "' (comments start with #)");
            }
            Entry entry = new Entry(where, content);
            if (looksLikeAddress(content)) {
                prefixes.add(new PrefixEntry(prefix(content, where), entry));
            } else {
                subscribers.putIfAbsent(content.toLowerCase(Locale.ROOT), entry);
            }
        }
        return new Exemptions(subscribers, prefixes);
    }

    private static boolean looksLikeAddress(String s) {
        return s.matches("[0-9A-Fa-f:./]+") && (s.contains(".") || s.contains(":"));
    }

    private static IpPrefix prefix(String text, String where) {
        try {
            return IpPrefix.parse(text);
        } catch (IpPrefix.HostBitsSet e) {
            // A typo in a prefix length would exempt far more than meant: say so instead of masking.
            throw new IllegalArgumentException(where + ": " + text + " has bits set beyond its length; did you mean " + e.masked() + "?", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": not an address or CIDR prefix: " + e.getMessage(), e);
        }
    }

    /**
     * Why a subscriber, seen at these addresses, is exempt ({@code exempt: ...}), or empty. Addresses that
     * are null or no address literal are skipped.
     */
    public Optional<String> reason(String subscriber, String... addresses) {
        if (subscriber != null) {
            Entry e = subscribers.get(subscriber.toLowerCase(Locale.ROOT));
            if (e != null) return Optional.of("exempt: subscriber " + subscriber + " (" + e.where() + ")");
        }
        for (String a : addresses) {
            if (a == null || a.isBlank()) continue;
            IpAddress ip;
            try {
                ip = IpAddress.parse(a);
            } catch (IllegalArgumentException notAnAddress) {
                continue;
            }
            for (PrefixEntry p : prefixes) {
                if (p.prefix().contains(ip)) {
                    return Optional.of("exempt: " + ip + " is in " + p.entry().text() + " (" + p.entry().where() + ")");
                }
            }
        }
        return Optional.empty();
    }
}
