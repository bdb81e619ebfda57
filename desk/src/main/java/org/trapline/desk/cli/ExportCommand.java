package org.trapline.desk.cli;

import static org.trapline.common.TerminalText.safe;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Supplier;

import org.trapline.desk.Desk;
import org.trapline.desk.view.MboxReport;
import org.trapline.desk.view.RawMessage;

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
public final class ExportCommand extends DeskCommand {
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
    public ExportCommand(Supplier<Desk> desk, Supplier<OutputStream> stdout) {
        super(desk);
        this.stdout = stdout;
    }

    @Override
    int run(Desk desk) throws IOException {
        if (output != null && Files.exists(output)) {
            err().println(output + " exists; choose another -o FILE");
            return BAD_INPUT;
        }
        return target.id != null ? exportOne(desk, target.id) : exportCase(desk, target.subscriber);
    }

    private int exportOne(Desk desk, long id) throws IOException {
        Optional<RawMessage> raw = desk.raw(id);
        if (raw.isEmpty()) {
            err().println("no trap hit " + id);
            return NOT_FOUND;
        }
        if (raw.get().purged()) {
            err().println("hit " + id + ": raw message purged by retention (sha256 " + raw.get().sha256() + ")");
            return NOT_FOUND;
        }
        try (OutputStream out = open()) {
            out.write(raw.get().bytes());
        }
        return OK;
    }

    private int exportCase(Desk desk, String subscriber) throws IOException {
        Optional<MboxReport> report = desk.caseMbox(subscriber, this::open);
        if (report.isEmpty()) {
            err().println("no trap hits for subscriber " + safe(subscriber));
            return NOT_FOUND;
        }
        long purged = report.get().purged();
        err().println(report.get().written() + " messages exported" + (purged > 0 ? ", " + purged + " purged by retention and left out" : ""));
        return OK;
    }

    private OutputStream open() throws IOException {
        if (output == null) {
            return new FilterOutputStream(stdout.get()) {
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
