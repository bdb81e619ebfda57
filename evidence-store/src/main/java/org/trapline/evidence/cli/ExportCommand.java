package org.trapline.evidence.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.trapline.evidence.EvidenceStore;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.export.Mbox;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trapline export ID} writes one hit's raw message (.eml) byte for byte;
 * {@code trapline export --case SUBSCRIBER} writes all of a subscriber's kept messages as one mbox.
 * Raw bytes go to {@code -o FILE}, or to standard output (bytes, not text).
 */
@Command(mixinStandardHelpOptions = true, name = "export", description = "Write a hit's raw message (.eml), or with --case a subscriber's messages as mbox.")
public final class ExportCommand extends StoreCommand {
    private final Supplier<OutputStream> stdout;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "ID", description = "Hit id to export as .eml.")
        Long id;

        @Option(names = "--case", paramLabel = "SUBSCRIBER", description = "Export every kept message of this subscriber as mbox.")
        String subscriber;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output (refuses to overwrite).")
    Path output;

    /** @param stdout the byte stream that stands for standard output */
    public ExportCommand(Supplier<EvidenceStore> store, Supplier<OutputStream> stdout) {
        super(store);
        this.stdout = stdout;
    }

    @Override
    protected int run(EvidenceStore store) throws IOException {
        if (output != null && Files.exists(output)) {
            err().println(output + " exists; choose another -o FILE");
            return BAD_INPUT;
        }
        return target.id != null ? exportOne(store, target.id) : exportCase(store, target.subscriber);
    }

    private int exportOne(EvidenceStore store, long id) throws IOException {
        Optional<StoredHit> hit = store.find(id);
        if (hit.isEmpty()) {
            err().println("no trap hit " + id);
            return NOT_FOUND;
        }
        Optional<byte[]> raw = store.raw(id);
        if (raw.isEmpty()) {
            err().println("hit " + id + ": raw message purged by retention (sha256 " + hit.get().sha256() + ")");
            return NOT_FOUND;
        }
        try (OutputStream out = open()) {
            out.write(raw.get());
        }
        return OK;
    }

    private int exportCase(EvidenceStore store, String subscriber) throws IOException {
        if (store.caseSummary(subscriber).hits() == 0) {
            err().println("no trap hits for subscriber " + subscriber);
            return NOT_FOUND;
        }
        long written = 0;
        long purged = 0;
        try (OutputStream out = open()) {
            long after = 0;
            List<StoredHit> page;
            while (!(page = store.hitsOf(subscriber, after, 200)).isEmpty()) {
                for (StoredHit h : page) {
                    Optional<byte[]> raw = store.raw(h.id());
                    if (raw.isPresent()) {
                        Mbox.write(out, h.hit().envelopeSender(), h.hit().receivedAt(), raw.get());
                        written++;
                    } else {
                        purged++;
                    }
                    after = h.id();
                }
            }
        }
        err().println(written + " messages exported" + (purged > 0 ? ", " + purged + " purged by retention and left out" : ""));
        return OK;
    }

    private OutputStream open() throws IOException {
        if (output == null) {
            OutputStream s = stdout.get();
            return new java.io.FilterOutputStream(s) {
                @Override
                public void close() throws IOException {
                    flush(); // standard output stays open
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }
            };
        }
        return Files.newOutputStream(output, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
