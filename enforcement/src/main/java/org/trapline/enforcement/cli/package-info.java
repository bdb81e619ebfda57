/**
 * Staff commands for bin/trapline: {@code actions}, {@code confirm}, {@code dismiss}, {@code unblock},
 * {@code acl}, {@code brake}, {@code retry}. Each is handed the enforcement of the data directory by
 * whoever owns it (the running server, or the command's own process when none runs).
 */
package org.trapline.enforcement.cli;
