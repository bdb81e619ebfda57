package org.trapline.desk.view;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of the staff audit: who did what, when, from where, to which subject, with its place in the
 * hash chain.
 *
 * @param seq      its number, 1 for the first; numbers have no gaps
 * @param from     the web desk client's address, or {@code cli:<unix user>}
 * @param act      what was done ({@link org.trapline.desk.AuditAct#text})
 * @param subject  what it was done to: {@code action:<id>}, {@code subscriber:<id>}, {@code hit:<id>},
 *                 {@code user:<name>}, or empty
 * @param detail   the reason or the text, as given; empty when none
 * @param prevHash the hash of entry {@code seq - 1} (64 zeros for the first)
 * @param hash     SHA-256 over {@code prevHash} and this entry's fields (see {@code AuditChain})
 */
public record AuditEntry(long seq, Instant at, String staff, String from, String act, String subject, String detail,
                         String prevHash, String hash) implements View {

    /** {@code {seq, at, at_ms, staff, from, act, subject, detail, prev_hash, hash}}: at_ms is what the hash covers. */
    @Override
    public ObjectNode json() {
        ObjectNode m = Json.object();
        m.put("seq", seq);
        m.put("at", Json.text(at));
        m.put("at_ms", at.toEpochMilli());
        m.put("staff", staff);
        m.put("from", from);
        m.put("act", act);
        m.put("subject", subject);
        m.put("detail", detail);
        m.put("prev_hash", prevHash);
        m.put("hash", hash);
        return m;
    }
}
