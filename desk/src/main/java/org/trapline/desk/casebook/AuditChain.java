package org.trapline.desk.casebook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.trapline.desk.view.AuditCheck;
import org.trapline.desk.view.AuditEntry;

/**
 * The audit's hash chain. An entry's hash is SHA-256, in lower-case hex, over the previous entry's hash
 * and the entry's own fields, each written as a netstring ({@code <UTF-8 byte length>:<bytes>,}) in this
 * order: previous hash, seq, at (epoch milliseconds), staff, from, act, subject, detail. Netstrings make
 * the concatenation unambiguous whatever the texts hold, and are easy to redo outside Trapline (README).
 */
public final class AuditChain {
    /** The previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** The hash an entry with these fields, after {@code prevHash}, must carry. */
    public static String hash(String prevHash, long seq, long atMs, String staff, String from, String act, String subject,
                              String detail) {
        StringBuilder canonical = new StringBuilder();
        for (String field : new String[] {prevHash, Long.toString(seq), Long.toString(atMs), staff, from, act, subject, detail}) {
            canonical.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field).append(',');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** The hash {@code e} must carry after {@code prevHash}. */
    static String expected(String prevHash, AuditEntry e) {
        return hash(prevHash, e.seq(), e.at().toEpochMilli(), e.staff(), e.from(), e.act(), e.subject(), e.detail());
    }

    /**
     * A walk of the chain, fed entries in order of their numbers; says the first one that is missing,
     * out of the chain or changed.
     */
    static final class Walk {
        private long expectedSeq = 1;
        private String prev = GENESIS;
        private AuditCheck broken;

        /** @return false once the chain is broken: later entries need no look */
        boolean next(AuditEntry e) {
            if (broken != null) return false;
            if (e.seq() != expectedSeq) {
                broken = new AuditCheck(expectedSeq - 1, expectedSeq, "entry " + expectedSeq + " is missing (the next is entry " + e.seq() + ")");
            } else if (!e.prevHash().equals(prev)) {
                broken = new AuditCheck(expectedSeq - 1, e.seq(), "its previous hash is not the hash of entry " + (e.seq() - 1));
            } else if (!expected(prev, e).equals(e.hash())) {
                broken = new AuditCheck(expectedSeq - 1, e.seq(), "its fields do not match its hash (the entry was changed)");
            } else {
                prev = e.hash();
                expectedSeq++;
            }
            return broken == null;
        }

        /** The verdict, given the head the store says the chain ends at. */
        AuditCheck end(long headSeq, String headHash) {
            if (broken != null) return broken;
            long last = expectedSeq - 1;
            if (last < headSeq) {
                return new AuditCheck(last, last + 1, "entry " + (last + 1) + " is missing (the chain's head is entry " + headSeq + ")");
            }
            if (!prev.equals(headHash)) {
                return new AuditCheck(last, last, "the chain's head names another hash for entry " + last);
            }
            return new AuditCheck(last, null, null);
        }
    }
}
