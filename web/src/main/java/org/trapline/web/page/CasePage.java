package org.trapline.web.page;

import org.trapline.desk.view.CaseView;

/** One subscriber's case, with its hits per day drawn as a chart. */
public record CasePage(Chrome chrome, CaseView view, DayChart chart) {
    public static CasePage of(Chrome chrome, CaseView view) {
        return new CasePage(chrome, view, DayChart.of(view.summary().days()));
    }
}
