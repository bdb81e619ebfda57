/**
 * Composition root: boots Apache James with {@code conf/}, starts Trapline's own services through
 * James's lifecycle, and holds the {@code bin/trapline} command line.
 */
package org.trapline.server;
