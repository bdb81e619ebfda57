package org.trapline.common.log;

/**
 * How far a segment reads as whole, intact records.
 *
 * @param end     the position after the last intact record read
 * @param problem why reading stopped before the limit (null: it reached the limit, or the caller stopped it);
 *                the bytes from {@code end} on are a torn tail or damage
 */
public record Scan(long end, String problem) {
    public boolean damaged() {
        return problem != null;
    }
}
