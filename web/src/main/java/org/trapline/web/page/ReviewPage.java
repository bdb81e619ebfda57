package org.trapline.web.page;

import java.util.List;

import org.trapline.desk.view.ReviewItem;

/** The actions waiting for staff, each with its evidence summary. */
public record ReviewPage(Chrome chrome, List<ReviewItem> items) {
}
