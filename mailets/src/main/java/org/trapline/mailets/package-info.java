/**
 * James adapters: the trap-recipient SMTP hook, the durable spool hook, and the mailets that hand a
 * trap hit, as one {@link org.trapline.mailets.trapcase.TrapCase}, to origin, attribution, the evidence
 * store and the strike policy. Thin: the rules live in the libraries.
 */
package org.trapline.mailets;
