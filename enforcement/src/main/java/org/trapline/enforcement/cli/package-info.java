/**
 * The enforcement command for bin/trapline that is maintenance rather than a staff decision:
 * {@code acl}, the blocked addresses as router configuration. The staff commands on actions
 * ({@code actions}, {@code confirm}, {@code dismiss}, {@code retry}, {@code unblock}, {@code brake})
 * are the desk's ({@code org.trapline.desk.cli}).
 */
package org.trapline.enforcement.cli;
