package org.trapline.reports.xarf;

import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.trapline.reports.out.Incident;
import org.trapline.reports.out.Reporter;

/**
 * Writes a XARF v4 JSON report about one spam our trap received: category messaging, type spam,
 * evidence_source spamtrap, protocol smtp, the reporter (also the sender: we file our own reports) from
 * settings, the source address and port, and the original as base64 message/rfc822 evidence with its
 * SHA-256. One incident is one report, as XARF v4 asks. The spam's envelope travels as JSON strings,
 * which JSON escaping keeps inert.
 */
public final class XarfWriter {
    public static final String VERSION = "4.0.0";
    private final ObjectMapper json = new ObjectMapper();

    /**
     * The report as one line of JSON.
     *
     * @throws IllegalArgumentException for an incident without a source address: XARF requires one
     */
    public String write(Incident incident, Reporter reporter) {
        if (incident.sourceIp() == null) {
            throw new IllegalArgumentException("XARF needs a source address and the hit has none");
        }
        ObjectNode doc = json.createObjectNode();
        doc.put("xarf_version", VERSION);
        doc.put("report_id", UUID.randomUUID().toString());
        doc.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(incident.arrival()));
        contact(doc.putObject("reporter"), reporter);
        contact(doc.putObject("sender"), reporter);
        doc.put("source_identifier", incident.sourceIp());
        if (incident.sourcePort() > 0) {
            doc.put("source_port", incident.sourcePort());
        }
        doc.put("category", "messaging");
        doc.put("type", "spam");
        doc.put("evidence_source", "spamtrap");
        doc.put("protocol", "smtp");
        if (incident.mailFrom() != null && !incident.mailFrom().isBlank()) {
            doc.put("smtp_from", incident.mailFrom());
        }
        if (!incident.rcptTo().isEmpty()) {
            doc.put("smtp_to", incident.rcptTo().get(0));
        }
        ObjectNode evidence = doc.putArray("evidence").addObject();
        evidence.put("content_type", "message/rfc822");
        evidence.put("description", "The spam as our trap MX accepted it");
        evidence.put("payload", Base64.getEncoder().encodeToString(incident.original()));
        evidence.put("hash", "sha256:" + incident.sha256());
        evidence.put("size", incident.original().length);
        return doc.toString();
    }

    private static void contact(ObjectNode node, Reporter reporter) {
        node.put("org", reporter.org());
        node.put("contact", reporter.contact());
        node.put("domain", reporter.domain());
    }
}
