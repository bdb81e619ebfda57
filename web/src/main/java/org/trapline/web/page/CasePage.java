package org.trapline.web.page;

import org.trapline.desk.view.CaseView;

/** One subscriber's case. */
public record CasePage(Chrome chrome, CaseView view) {
}
