package org.trapline.web.page;

import java.util.List;

import org.trapline.desk.view.HitView;
import org.trapline.evidence.mime.MessageFiles;

/**
 * One hit: the desk's view, the decoded header lines of the raw message, whether it has an HTML part, its
 * Received chain as a timeline, and its attachments (none once the raw message is gone).
 */
public record HitPage(Chrome chrome, HitView hit, List<MessageParts.HeaderLine> headers, boolean hasHtml, Timeline timeline) {
    /** The attachments to list: none once the raw message is gone. */
    public MessageFiles.Attachments attachments() {
        return hit.files() == null ? new MessageFiles.Attachments(List.of(), 0, false) : hit.files();
    }
}
