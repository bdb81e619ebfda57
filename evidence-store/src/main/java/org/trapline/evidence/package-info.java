/**
 * Evidence store: raw trap-hit messages stored once by SHA-256, one metadata row per trap hit,
 * the Lucene index and search over them. Knows nothing of James.
 *
 * <p>{@link org.trapline.evidence.EvidenceStore} is the entry point (record, find, search, case
 * summary, reindex, purges). Sub-packages by feature: {@code raw} (content-addressed files),
 * {@code hit} (the hits' store, {@code HitStore}: rows, ids and the purge journal, its SQL per dialect in resources), {@code mime} (hostile-MIME
 * decoding), {@code index} (Lucene documents and the near-real-time index), {@code search} (the
 * desk query language, results, facets), {@code export} (mbox), {@code cli} (picocli commands).
 */
package org.trapline.evidence;
