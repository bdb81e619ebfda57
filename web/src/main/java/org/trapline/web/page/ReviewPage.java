package org.trapline.web.page;

import java.util.List;

import org.trapline.desk.view.BrakeView;
import org.trapline.desk.view.ReviewItem;
import org.trapline.desk.view.UnattributedView;

/**
 * The actions waiting for staff, each with its evidence summary; the brake and its switch; manual block and
 * unblock; the hits that named nobody for a fault of ours, and those that named nobody otherwise.
 *
 * @param unattributed AMBIGUOUS, NO_SESSION and NOT_OURS hits, newest first
 */
public record ReviewPage(Chrome chrome, List<ReviewItem> items, List<UnattributedView> faultyHits, List<UnattributedView> unattributed,
                         BrakeView brake) {
}
