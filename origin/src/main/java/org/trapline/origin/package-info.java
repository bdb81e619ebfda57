/**
 * Origin hop: parses Received headers and walks the chain newest-first under a trust model like
 * SpamAssassin's (trusted, internal and MSA networks) to find the client that handed a message to our
 * trusted boundary, and the time the trusted receiver recorded. Pure Java: used by the mailet and by
 * the {@code trace} and {@code received} commands.
 */
package org.trapline.origin;
