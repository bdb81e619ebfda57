package org.trapline.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every setting Trapline knows, so that a misspelled key stops the start instead of being ignored.
 * Each module lists the keys it reads in its own {@value #RESOURCE} (one key per line; a part in angle
 * brackets, as in {@code coa.nas.<NAS-IP>.port}, stands for any text, dots included; {@code old -> new}
 * names a key an earlier version read under another name).
 */
public final class SettingsCatalog {
    static final String RESOURCE = "META-INF/trapline-settings.keys";

    private final TreeSet<String> keys = new TreeSet<>();
    private final java.util.Map<String, String> renamed = new java.util.HashMap<>();
    private final List<Template> templates = new ArrayList<>();

    private record Template(String text, String prefix, String suffix, Pattern pattern) {
        /** The template with its variable part taken from {@code key}, for spelling distances. */
        String filledFrom(String key) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                int lastDot = key.lastIndexOf('.');
                String middle = lastDot > prefix.length() ? key.substring(prefix.length(), lastDot) : key.substring(prefix.length());
                return prefix + middle + suffix;
            }
            return text;
        }
    }

    private SettingsCatalog() {
    }

    /** The catalog of every Trapline module on the class path. */
    public static SettingsCatalog load() {
        SettingsCatalog catalog = new SettingsCatalog();
        try {
            Enumeration<URL> lists = SettingsCatalog.class.getClassLoader().getResources(RESOURCE);
            for (URL list : Collections.list(lists)) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
                    r.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(catalog::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the settings catalog: " + e.getMessage(), e);
        }
        return catalog;
    }

    private void add(String key) {
        int arrow = key.indexOf("->");
        if (arrow > 0) {
            renamed.put(key.substring(0, arrow).strip(), key.substring(arrow + 2).strip());
            return;
        }
        int open = key.indexOf('<');
        if (open < 0) {
            keys.add(key);
            return;
        }
        int close = key.indexOf('>', open);
        String prefix = key.substring(0, open);
        String suffix = key.substring(close + 1);
        templates.add(new Template(key, prefix, suffix, Pattern.compile(Pattern.quote(prefix) + ".+" + Pattern.quote(suffix))));
    }

    public boolean knows(String key) {
        return keys.contains(key) || templates.stream().anyMatch(t -> t.pattern().matcher(key).matches());
    }

    /** The key that replaced {@code key}, when an earlier version read it under that name. */
    public Optional<String> renamedTo(String key) {
        return Optional.ofNullable(renamed.get(key));
    }

    /** The known key (or template, filled from {@code key}) closest in spelling, if any is close enough. */
    public Optional<String> nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> candidates = new ArrayList<>(keys);
        templates.forEach(t -> candidates.add(t.filledFrom(key)));
        for (String candidate : candidates) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        // Beyond a third of the key, a suggestion is noise.
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** Every known key and template, sorted. */
    public List<String> all() {
        List<String> all = new ArrayList<>(keys);
        templates.forEach(t -> all.add(t.text()));
        Collections.sort(all);
        return all;
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
