package org.trapline.web.page;

/** A refusal shown as a page: the status and the one line saying why. */
public record ErrorPage(Chrome chrome, int status, String message) {
}
