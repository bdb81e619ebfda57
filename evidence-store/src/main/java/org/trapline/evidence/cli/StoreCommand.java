package org.trapline.evidence.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every evidence command shares: the evidence store handed in by the root command (opened by
 * whoever owns the data directory, never closed here) and the exit codes (0 done, also with an empty
 * result; 1 not found; 2 bad input).
 */
abstract class StoreCommand implements Callable<Integer> {
    protected static final int OK = 0;
    protected static final int NOT_FOUND = 1;
    protected static final int BAD_INPUT = 2;

    private final Supplier<EvidenceStore> store;

    @Spec
    CommandSpec spec;

    protected StoreCommand(Supplier<EvidenceStore> store) {
        this.store = store;
    }

    /** Work done with the open store. */
    protected abstract int run(EvidenceStore store) throws Exception;

    @Override
    public final Integer call() throws Exception {
        return run(store.get());
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
