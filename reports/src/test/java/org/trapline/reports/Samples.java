package org.trapline.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The report samples under src/test/resources/reports (see its README for where each comes from). */
public final class Samples {
    private Samples() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/reports/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
