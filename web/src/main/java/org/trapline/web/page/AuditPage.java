package org.trapline.web.page;

import java.util.List;

import org.trapline.desk.view.AuditCheck;
import org.trapline.desk.view.AuditEntry;

/**
 * The staff audit, newest first.
 *
 * @param check the walk of the hash chain, when asked for; null otherwise (it reads every entry)
 */
public record AuditPage(Chrome chrome, List<AuditEntry> entries, AuditCheck check) {
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
