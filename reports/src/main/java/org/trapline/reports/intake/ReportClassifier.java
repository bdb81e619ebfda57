package org.trapline.reports.intake;

import org.trapline.reports.Report;
import org.trapline.reports.arf.ArfReader;
import org.trapline.reports.forwarded.ForwardedReader;
import org.trapline.reports.mime.MimeEntity;
import org.trapline.reports.spamcop.SpamcopReader;
import org.trapline.reports.xarf.XarfReader;

/**
 * Picks the reader for one report and reads it: ARF first (its MIME type says what it is), then
 * X-ARF/XARF (a marker header or a JSON document), SpamCop (its "Email from" line), and last a
 * forward (anything with an attached message or pasted Received headers). What none reads is
 * {@code unknown} with a one-line reason. Never throws for what the bytes hold.
 */
public final class ReportClassifier {
    private final ArfReader arf = new ArfReader();
    private final XarfReader xarf = new XarfReader();
    private final SpamcopReader spamcop = new SpamcopReader();
    private final ForwardedReader forwarded = new ForwardedReader();

    public Report read(byte[] raw) {
        if (raw.length == 0) {
            return Report.unknown("empty report");
        }
        try {
            MimeEntity mail = MimeEntity.parse(raw);
            if (xarf.recognises(raw, mail)) {
                return xarf.read(raw, mail);
            }
            if (arf.recognises(mail)) {
                return arf.read(mail);
            }
            if (spamcop.recognises(mail)) {
                return spamcop.read(mail);
            }
            if (forwarded.recognises(mail)) {
                return forwarded.read(mail);
            }
            return Report.unknown("no report format recognised: not ARF, X-ARF/XARF or SpamCop, and no attached or quoted message");
        } catch (RuntimeException | StackOverflowError e) {
            // a reader's bug must cost one report, not the import of all the others
            return Report.unknown("report unreadable: " + e.getClass().getSimpleName());
        }
    }
}
