package org.trapline.desk.view;

import org.trapline.attribution.session.Session;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.mime.MessageContent;
import org.trapline.evidence.mime.MessageFiles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One trap hit with everything the evidence holds about it: the envelope our MX saw, the origin hop,
 * the attribution with its session, the message as stored and as decoded, and the Received chain.
 *
 * @param stored  the hit as the evidence store keeps it (its trace as stored is {@code stored.hit().traceJson()})
 * @param content what the raw message says, decoded; null once retention purged the raw body
 * @param chain   the Received chain of the stored trace, or null when the hit has no readable trace
 * @param session the access session the hit was attributed to, as the session store has it; null when the
 *                hit names none or the store no longer (or never) had it
 * @param files   the message's attachments with their SHA-256, numbered for download; null once the raw body is gone
 */
public record HitView(StoredHit stored, MessageContent content, ReceivedChain chain, Session session,
                      MessageFiles.Attachments files) implements View {
    public HitView(StoredHit stored, MessageContent content, ReceivedChain chain) {
        this(stored, content, chain, null, null);
    }


    /**
     * {@code {id, received_at, envelope: {sender, recipients, client_ip, helo}, origin: {ip, time, helo} or null,
     * attribution: {status, subscriber, session: {id, nas_ip, start, stop, last_update, start_seen, stop_seen,
     * framed_ip, user_name} or null}, subject, message_id, size, sha256,
     * intake_key, raw: {kept, purged_at}, content: {...} or null, trace: chain or null, files: {...} or null}}.
     */
    @Override
    public ObjectNode json() {
        TrapHit h = stored.hit();
        ObjectNode m = Json.object();
        m.put("id", stored.id());
        m.put("received_at", Json.text(h.receivedAt()));
        ObjectNode envelope = m.putObject("envelope");
        envelope.put("sender", h.envelopeSender());
        Json.strings(envelope, "recipients", h.trapRecipients());
        envelope.put("client_ip", h.clientIp());
        envelope.put("helo", h.helo());
        m.set("origin", h.originIp() == null ? null
                : Json.object().put("ip", h.originIp()).put("time", Json.text(h.originTime())).put("helo", h.originHelo()));
        ObjectNode attribution = m.putObject("attribution");
        attribution.put("status", h.attributionStatus());
        attribution.put("subscriber", h.subscriber());
        attribution.set("session", h.sessionId() == null ? null : session(h));
        m.put("subject", stored.subject());
        m.put("message_id", stored.messageId());
        m.put("size", stored.size());
        m.put("sha256", stored.sha256());
        m.put("intake_key", h.intakeKey());
        m.putObject("raw").put("kept", stored.hasRaw()).put("purged_at", Json.text(stored.rawPurgedAt()));
        m.set("content", content == null ? null : content(content));
        m.set("trace", chain == null ? null : chain.json());
        m.set("files", files == null ? null : files(files));
        return m;
    }

    /** The session as the hit names it, with what the session store says of it (null where it does not). */
    private ObjectNode session(TrapHit h) {
        ObjectNode m = Json.object().put("id", h.sessionId()).put("nas_ip", h.nasIp());
        m.put("start", session == null ? null : Json.text(session.start()));
        m.put("stop", session == null ? null : Json.text(session.stop()));
        m.put("last_update", session == null ? null : Json.text(session.lastUpdate()));
        if (session != null) {
            m.put("start_seen", session.startSeen()).put("stop_seen", session.stopSeen());
        }
        m.put("framed_ip", session == null ? null : session.framedIpAddress());
        m.put("user_name", session == null ? null : session.userName());
        return m;
    }

    /** {@code {attachments: [{number, name, content_type, size, sha256}...], omitted, parts_capped}}. */
    private static ObjectNode files(MessageFiles.Attachments f) {
        ObjectNode m = Json.object();
        ArrayNode list = m.putArray("attachments");
        for (MessageFiles.Attachment a : f.listed()) {
            list.addObject().put("number", a.number()).put("name", a.name()).put("content_type", a.contentType()).put("size", a.size())
                    .put("sha256", a.sha256());
        }
        m.put("omitted", f.omitted());
        m.put("parts_capped", f.partsCapped());
        return m;
    }

    private static ObjectNode content(MessageContent c) {
        ObjectNode m = Json.object();
        Json.strings(m, "from", c.from());
        Json.strings(m, "to", c.to());
        Json.strings(m, "reply_to", c.replyTo());
        Json.strings(m, "urls", c.urls());
        ArrayNode attachments = m.putArray("attachments");
        for (MessageContent.Attachment a : c.attachments()) {
            attachments.addObject().put("name", a.name()).put("content_type", a.contentType()).put("size", a.size());
        }
        Json.strings(m, "problems", c.problems());
        m.put("text", c.bodyText());
        return m;
    }
}
