package org.trapline.origin.cli;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Standard input as the origin commands read it. */
final class StandardInput {
    private StandardInput() {
    }

    /** A command reading "-" closes what it read; standard input must stay open for the rest of the process. */
    static InputStream unclosable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // not ours to close
            }
        };
    }
}
