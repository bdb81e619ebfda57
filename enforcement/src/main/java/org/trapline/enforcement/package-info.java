/**
 * Enforcement policy: the strike engine (trap hits per subscriber to strikes, blocks and suspension),
 * the action journal (every CoA, Disconnect, ACL entry and notice with its cause and the NAS's answer),
 * staff review (confirm, dismiss, unblock) and the router ACL export. State lives in the H2 database
 * {@code <data>/policy}, so blocks and strikes survive a restart.
 */
package org.trapline.enforcement;
