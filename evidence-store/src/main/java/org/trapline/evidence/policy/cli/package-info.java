/**
 * Staff commands for bin/trapline: {@code actions}, {@code confirm}, {@code dismiss}, {@code unblock},
 * {@code acl}. Each is constructed with the loaded settings and the data directory.
 */
package org.trapline.evidence.policy.cli;
