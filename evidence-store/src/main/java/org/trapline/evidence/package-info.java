/**
 * Evidence store: raw trap-hit messages stored once by SHA-256, one metadata row per trap hit,
 * the Lucene index and search over them. Knows nothing of James.
 */
package org.trapline.evidence;
