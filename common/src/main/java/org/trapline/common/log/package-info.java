/**
 * Append-only segment logs on local disk, the one way the spool, the accounting journal and the raw packs
 * keep records: numbered segment files of CRC32C-framed records ({@link org.trapline.common.log.Framing}),
 * torn and damaged tails found on open ({@link org.trapline.common.log.Scan}), a new segment's name made
 * durable before a record in it counts ({@link org.trapline.common.log.SegmentFiles}), and reads that
 * never trust one {@code read} call to fill a buffer ({@link org.trapline.common.log.FileIo}).
 * {@link org.trapline.common.log.SegmentLog} puts these together for a single writer appending to the
 * newest segment. Each store keeps its own frame layout byte for byte, so files written before this
 * library still read.
 */
package org.trapline.common.log;
