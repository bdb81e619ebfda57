/**
 * Abuse reports in: feedback-loop ARF (RFC 5965), SpamCop, X-ARF 0.1/0.2 and XARF v4, and forwarded
 * spam, each read into one {@link org.trapline.reports.Report}, then traced with origin's tracer at the
 * reporter's boundary and attributed ({@code intake}). Knows origin and attribution only: no James, no
 * evidence store, no strikes.
 */
package org.trapline.reports;
