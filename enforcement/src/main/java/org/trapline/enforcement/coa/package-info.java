/**
 * RFC 5176 Change-of-Authorization and Disconnect requests to the NAS holding a subscriber's session:
 * fence (CoA with filter attributes), restore (CoA with the normal policy) and disconnect. One call is
 * one {@link org.trapline.enforcement.coa.CoaResult} (ACK, NAK with Error-Cause, or timeout) that the
 * action journal keeps; the shared secret never appears in it.
 */
package org.trapline.enforcement.coa;
