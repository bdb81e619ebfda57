package org.trapline.evidence.index;

import static org.trapline.evidence.index.IndexFields.*;

import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;
import org.trapline.common.net.IpAddress;
import org.trapline.common.net.IpPrefix;
import org.trapline.evidence.StoredHit;
import org.trapline.evidence.TrapHit;
import org.trapline.evidence.mime.MessageContent;

/**
 * Turns a stored hit (and, while its raw body is kept, the decoded message) into its index document.
 * The same function serves live indexing and rebuilds, which is what makes a rebuild equal the original.
 */
public final class HitDocuments {
    private static final int PREVIEW_CHARS = 400;
    private static final int STORED_SUBJECT_CHARS = 300;
    private static final int MAX_FACET_HOSTS = 32;
    private static final int MAX_TERM_BYTES = 1000;

    /**
     * Words with positions (phrases) but without norms: results are ordered by time, never by
     * relevance, so length normalisation would cost index space and indexing time for nothing.
     */
    private static final FieldType WORDS = words();

    private static FieldType words() {
        FieldType t = new FieldType(TextField.TYPE_NOT_STORED);
        t.setOmitNorms(true);
        t.freeze();
        return t;
    }

    private HitDocuments() {
    }

    /**
     * The index document of a hit.
     *
     * @param content the decoded message, or null when the raw body is gone (metadata-only document)
     */
    public static Document of(StoredHit stored, MessageContent content) {
        TrapHit hit = stored.hit();
        Document doc = new Document();
        doc.add(new StringField(HIT_KEY, Long.toString(stored.id()), Field.Store.NO));
        doc.add(new LongPoint(HIT_ID, stored.id()));
        doc.add(new NumericDocValuesField(HIT_ID, stored.id()));
        long millis = hit.receivedAt().toEpochMilli();
        doc.add(new LongPoint(TIME, millis));
        doc.add(new NumericDocValuesField(TIME, millis));
        doc.add(new SortedDocValuesField(DAY, new BytesRef(day(hit.receivedAt()))));
        doc.add(new StoredField(SHA256, stored.sha256()));
        doc.add(new StringField(SHA256, stored.sha256(), Field.Store.NO));

        String subject = content != null && content.subject() != null ? content.subject() : stored.subject();
        if (subject != null) {
            doc.add(new Field(SUBJECT, subject, WORDS));
            doc.add(new Field(TEXT, subject, WORDS));
            doc.add(new StoredField(SUBJECT, clip(subject, STORED_SUBJECT_CHARS)));
        }
        if (stored.messageId() != null) {
            keyword(doc, MESSAGE_ID, stored.messageId());
        }
        if (hit.envelopeSender() != null && !hit.envelopeSender().isEmpty()) {
            doc.add(new Field(FROM, hit.envelopeSender(), WORDS));
        }
        boolean firstTrap = true;
        Set<String> trapDomains = new LinkedHashSet<>();
        for (String trap : hit.trapRecipients()) {
            String t = trap.toLowerCase(Locale.ROOT);
            keyword(doc, TRAP, t);
            int at = t.lastIndexOf('@');
            if (at >= 0 && trapDomains.add(clip(t.substring(at + 1), MAX_TERM_BYTES / 4)) && trapDomains.size() <= MAX_FACET_HOSTS) {
                keyword(doc, TRAP_DOMAIN, t.substring(at + 1));
                doc.add(new SortedSetDocValuesField(TRAP_DOMAIN, new BytesRef(clip(t.substring(at + 1), MAX_TERM_BYTES / 4))));
            }
            doc.add(new Field(TO, trap, WORDS));
            if (firstTrap) {
                doc.add(new StoredField(TRAP, clip(trap, 500)));
                firstTrap = false;
            }
        }
        if (hit.subscriber() != null && !hit.subscriber().isBlank()) {
            String s = hit.subscriber().toLowerCase(Locale.ROOT);
            keyword(doc, SUBSCRIBER, s);
            doc.add(new SortedDocValuesField(SUBSCRIBER, new BytesRef(clip(s, MAX_TERM_BYTES / 4))));
            doc.add(new StoredField(SUBSCRIBER, hit.subscriber()));
            keyword(doc, HAS, "subscriber");
        }
        if (hit.sessionId() != null && !hit.sessionId().isBlank()) {
            keyword(doc, SESSION, hit.sessionId());
        }
        if (hit.attributionStatus() != null) {
            String status = clip(hit.attributionStatus().toLowerCase(Locale.ROOT), MAX_TERM_BYTES / 4);
            keyword(doc, STATUS, status);
            doc.add(new SortedDocValuesField(STATUS, new BytesRef(status)));
        }
        parseIp(hit.originIp()).ifPresent(ip -> {
            doc.add(new InetAddressPoint(ORIGIN_IP, ip));
            String text = ip.getHostAddress();
            doc.add(new SortedDocValuesField(ORIGIN_IP, new BytesRef(text)));
            doc.add(new StoredField(ORIGIN_IP, text));
            doc.add(new SortedDocValuesField(ORIGIN_NET, new BytesRef(originNet(ip))));
        });
        parseIp(hit.clientIp()).ifPresent(ip -> doc.add(new InetAddressPoint(CLIENT_IP, ip)));
        for (String helo : new String[] {hit.helo(), hit.originHelo()}) {
            if (helo != null && !helo.isBlank()) {
                doc.add(new Field(HELO, helo, WORDS));
            }
        }
        if (stored.hasRaw()) {
            keyword(doc, HAS, "raw");
        }
        if (content != null) {
            addContent(doc, content);
        }
        return doc;
    }

    private static void addContent(Document doc, MessageContent content) {
        for (String a : content.from()) {
            doc.add(new Field(FROM, a, WORDS));
        }
        for (String a : content.to()) {
            doc.add(new Field(TO, a, WORDS));
        }
        for (String a : content.replyTo()) {
            doc.add(new Field(REPLY_TO, a, WORDS));
        }
        String body = content.bodyText();
        if (!body.isEmpty()) {
            doc.add(new Field(TEXT, body, WORDS));
            doc.add(new StoredField(PREVIEW, preview(body)));
        }
        for (String url : content.urls()) {
            doc.add(new Field(URL, url, WORDS));
        }
        if (!content.urls().isEmpty()) {
            keyword(doc, HAS, "url");
        }
        Set<String> domains = new LinkedHashSet<>();
        int facetHosts = 0;
        for (String host : content.urlHosts()) {
            if (facetHosts++ < MAX_FACET_HOSTS) {
                doc.add(new SortedSetDocValuesField(URL_HOST, new BytesRef(host)));
            }
            domains.add(host);
            if (!host.startsWith("[")) {
                // domain:example.com finds links to www.example.com and mail.example.com too.
                for (int dot = host.indexOf('.'); dot >= 0 && host.indexOf('.', dot + 1) >= 0; dot = host.indexOf('.', dot + 1)) {
                    domains.add(host.substring(dot + 1));
                }
            }
        }
        for (String d : domains) {
            keyword(doc, DOMAIN, d);
        }
        for (MessageContent.Attachment a : content.attachments()) {
            if (a.name() != null && !a.name().isEmpty()) {
                doc.add(new Field(ATTACHMENT, a.name(), WORDS));
                doc.add(new Field(TEXT, a.name(), WORDS));
            }
            keyword(doc, ATTACHMENT_TYPE, a.contentType());
        }
        if (!content.attachments().isEmpty()) {
            keyword(doc, HAS, "attachment");
        }
    }

    /** The first words of the body on one line; only a prefix is looked at, bodies can be megabytes. */
    static String preview(String body) {
        String head = body.length() > PREVIEW_CHARS * 4 ? body.substring(0, PREVIEW_CHARS * 4) : body;
        StringBuilder b = new StringBuilder(PREVIEW_CHARS);
        boolean space = false;
        for (int i = 0; i < head.length() && b.length() < PREVIEW_CHARS; i++) {
            char c = head.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return clip(b.toString(), PREVIEW_CHARS);
    }

    /** The UTC day of an instant as the {@code day:} query and the day facet spell it. */
    public static String day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }

    /**
     * The network an origin address is counted in: its /24 (IPv4) or /48 (IPv6), the usual size of one
     * customer line or of one hoster's block, in the spelling {@code net:} reads back.
     */
    public static String originNet(InetAddress ip) {
        IpAddress a = IpAddress.of(ip.getAddress());
        return IpPrefix.of(a, a.isIpv4() ? 24 : 48).toString();
    }

    private static void keyword(Document doc, String field, String value) {
        doc.add(new StringField(field, clip(value, MAX_TERM_BYTES / 4), Field.Store.NO));
    }

    /** Parses an IP literal without ever asking DNS; empty for anything else. */
    public static Optional<InetAddress> parseIp(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.regionMatches(true, 0, "IPv6:", 0, 5)) {
            t = t.substring(5);
        }
        if (t.isEmpty() || t.length() > 45 || !t.matches("[0-9A-Fa-f:.]+") || !(t.contains(".") || t.contains(":"))) {
            return Optional.empty();
        }
        if (!t.contains(":") && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String clip(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
