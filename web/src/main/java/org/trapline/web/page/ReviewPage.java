package org.trapline.web.page;

import java.util.List;

import org.trapline.desk.view.ReviewItem;
import org.trapline.desk.view.UnattributedView;

/** The actions waiting for staff, each with its evidence summary, and the hits that named nobody for a fault of ours. */
public record ReviewPage(Chrome chrome, List<ReviewItem> items, List<UnattributedView> faultyHits) {
}
