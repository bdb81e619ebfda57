package org.trapline.evidence.hit;

import org.trapline.evidence.raw.RawLocation;

/** A hit's kept raw message: its hash and where its bytes are. */
public record RawCopy(String sha256, RawLocation at) {
}
