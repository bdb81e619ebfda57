/**
 * The JSON shapes of origin's values (a parsed relay, a trace), as the {@code received} and
 * {@code trace} commands print them and as the trap pipeline stores a hit's trace.
 */
package org.trapline.origin.json;
