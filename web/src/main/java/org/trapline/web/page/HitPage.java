package org.trapline.web.page;

import java.util.List;

import org.trapline.desk.view.HitView;

/** One hit: the desk's view, the decoded header lines of the raw message, and whether it has an HTML part. */
public record HitPage(Chrome chrome, HitView hit, List<MessageParts.HeaderLine> headers, boolean hasHtml) {
}
