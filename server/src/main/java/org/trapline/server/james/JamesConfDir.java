package org.trapline.server.james;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.trapline.server.ConfigurationException;

/**
 * James reads its XML files from one directory. Ours live in {@code conf/} as templates whose
 * {@code ${name}} placeholders are filled from Trapline's settings, so every value is set in one place
 * ({@code trapline.properties}) and command-line overrides reach James. The rendered copy goes under the
 * data directory and is rewritten at every start.
 */
public final class JamesConfDir {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");
    /** XML files of conf/ that are not James's: logback's, whose ${...} are logback's own variables. */
    private static final Set<String> NOT_JAMES = Set.of("logback.xml");

    private JamesConfDir() {
    }

    /** Renders every {@code *.xml} and {@code *.properties} James file of {@code confDir} into {@code target}. */
    public static void render(Path confDir, Path target, Map<String, String> values) {
        try {
            Files.createDirectories(target);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(target)) {
                for (Path f : old) {
                    Files.deleteIfExists(f);
                }
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(confDir, "*.xml")) {
                for (Path f : files) {
                    if (NOT_JAMES.contains(f.getFileName().toString())) {
                        continue;
                    }
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    Files.writeString(target.resolve(f.getFileName()), fill(text, values, f.getFileName().toString()),
                            StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot prepare James configuration in " + target + ": " + e.getMessage());
        }
    }

    static String fill(String template, Map<String, String> values, String fileName) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new ConfigurationException(fileName + " uses ${" + m.group(1) + "}, which is not a known setting");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(xmlEscape(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
