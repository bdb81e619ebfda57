package org.trapline.evidence.raw;

/**
 * Where a raw message's record starts in the {@link RawPacks}.
 *
 * @param pack   the pack's sequence number (its file name)
 * @param offset byte offset of the record in that pack
 */
public record RawLocation(long pack, long offset) {
    public RawLocation {
        if (pack <= 0 || offset < 0) {
            throw new IllegalArgumentException("no such raw location: pack " + pack + ", offset " + offset);
        }
    }

    public static RawLocation of(long pack, long offset) {
        return new RawLocation(pack, offset);
    }

    @Override
    public String toString() {
        return "pack " + pack + " offset " + offset;
    }
}
