/**
 * Addresses and networks for every module: one grammar for address text (headers, detail files, settings,
 * command lines), one canonical spelling, no DNS.
 */
package org.trapline.common.net;
