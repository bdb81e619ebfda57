package org.trapline.desk.view;

/**
 * What an mbox export of a case wrote.
 *
 * @param written messages written
 * @param purged  hits whose raw message retention had purged, left out
 */
public record MboxReport(long written, long purged) {
}
