/**
 * James adapters: the trap-recipient SMTP hook, the durable spool hook, and the mailets that hand a
 * trap hit to origin, attribution and the evidence store. Thin: the rules live in the libraries.
 */
package org.trapline.mailets;
