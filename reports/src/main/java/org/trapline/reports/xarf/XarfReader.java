package org.trapline.reports.xarf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import org.trapline.reports.Report;
import org.trapline.reports.ReportKind;
import org.trapline.reports.ReportedMessage;
import org.trapline.reports.Statement;
import org.trapline.reports.mime.ContentType;
import org.trapline.reports.mime.MailDate;
import org.trapline.reports.mime.MimeEntity;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads X-ARF 0.1 and 0.2 (a mail marked {@code X-ARF: YES} or {@code X-XARF: PLAIN} whose second
 * part is a YAML report: Reported-From, Category, Report-Type, Source, Source-Type, Port, Date, with
 * the evidence as a further part) and XARF v4 JSON ({@code xarf_version} 4.x: source_identifier,
 * source_port, timestamp, category, type, evidence items with base64 payloads), also the v3 JSON shape
 * ({@code Report.Source.IP}, {@code Report.Date}). The YAML is read with SnakeYAML's SafeConstructor
 * only (maps, lists, strings, numbers: no types named by the document) and few aliases; JSON nested
 * deeper than {@link #MAX_JSON_DEPTH} is refused before it is turned into a tree.
 */
public final class XarfReader {
    /** Deepest JSON nesting read; a real report needs four. */
    public static final int MAX_JSON_DEPTH = 32;
    /** Largest YAML report part read. */
    public static final int MAX_YAML_CHARS = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether this is an X-ARF mail, a mail with a XARF JSON part, or a bare XARF JSON document. */
    public boolean recognises(byte[] raw, MimeEntity mail) {
        if (looksLikeJson(raw)) {
            return true;
        }
        if (mail.header("X-ARF") != null || mail.header("X-XARF") != null) {
            return true;
        }
        return mail.contentType().isMultipart() && mail.parts().list().stream().anyMatch(XarfReader::isJsonPart);
    }

    public Report read(byte[] raw, MimeEntity mail) {
        if (looksLikeJson(raw)) {
            return json(raw);
        }
        MimeEntity yamlPart = null;
        MimeEntity evidence = null;
        for (MimeEntity p : mail.parts().list()) {
            ContentType ct = p.contentType();
            if (isJsonPart(p)) {
                return json(p.decodedBody());
            }
            if (yamlPart == null && isYamlPart(p)) {
                yamlPart = p;
            } else if (evidence == null && yamlPart != null && (ct.is("message/rfc822") || ct.is("text/rfc822-headers"))) {
                evidence = p;
            }
        }
        if (yamlPart == null) {
            return Report.unknown("X-ARF mail without a YAML report part (Reported-From, Report-Type, Source)");
        }
        return yaml(yamlPart.text(), evidence);
    }

    private static boolean isJsonPart(MimeEntity p) {
        return p.contentType().is("application/json");
    }

    private static boolean isYamlPart(MimeEntity p) {
        String name = p.contentType().parameter("name");
        if (name != null && name.toLowerCase(Locale.ROOT).endsWith("report.txt")) {
            return true;
        }
        if (!p.contentType().is("text/plain")) {
            return false;
        }
        String head = p.text();
        head = head.length() > 4096 ? head.substring(0, 4096) : head;
        return head.contains("Reported-From:") || head.contains("Report-Type:");
    }

    private static Report yaml(String text, MimeEntity evidence) {
        if (text.length() > MAX_YAML_CHARS) {
            return Report.unknown("X-ARF report part larger than " + MAX_YAML_CHARS + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(5);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(true);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_YAML_CHARS);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException | StackOverflowError e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Report.unknown("X-ARF report part is not YAML we read: " + firstLine(m));
        }
        if (!(doc instanceof Map<?, ?> fields)) {
            return Report.unknown("X-ARF report part is not a YAML mapping");
        }
        String source = string(fields, "Source");
        String type = string(fields, "Report-Type");
        Statement stated = Statement.read(source, string(fields, "Port"), MailDate.parse(string(fields, "Date")));
        ReportedMessage reported = evidence == null ? null
                : ReportedMessage.of(evidence.decodedBody(), evidence.contentType().is("text/rfc822-headers"));
        String note = source != null && !stated.hasIp() ? "X-ARF Source is no address: " + firstLine(source) : null;
        return new Report(ReportKind.XARF, type == null ? null : type.toLowerCase(Locale.ROOT), stated, null, null, null, reported, note);
    }

    private static String string(Map<?, ?> fields, String key) {
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            if (e.getKey() instanceof String k && k.equalsIgnoreCase(key)) {
                Object v = e.getValue();
                return v instanceof String || v instanceof Number ? v.toString() : null;
            }
        }
        return null;
    }

    static Report json(byte[] bytes) {
        String problem = tooDeep(bytes);
        if (problem != null) {
            return Report.unknown(problem);
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(bytes);
        } catch (IOException e) {
            return Report.unknown("XARF JSON unreadable: " + firstLine(e.getMessage()));
        }
        if (doc == null || !doc.isObject()) {
            return Report.unknown("XARF JSON is not an object");
        }
        if (doc.path("xarf_version").isTextual() && doc.path("xarf_version").asText().startsWith("4")) {
            return v4(doc);
        }
        if (doc.path("Report").isObject()) {
            return v3(doc.path("Report"));
        }
        return Report.unknown("JSON without xarf_version 4 or a v3 Report object");
    }

    private static Report v4(JsonNode doc) {
        Statement stated = Statement.read(text(doc, "source_identifier"), text(doc, "source_port"),
                MailDate.parse(text(doc, "timestamp")));
        ReportedMessage reported = null;
        for (JsonNode item : doc.path("evidence")) {
            String type = item.path("content_type").asText("").toLowerCase(Locale.ROOT);
            if ((type.startsWith("message/rfc822") || type.startsWith("text/rfc822-headers")) && item.path("payload").isTextual()) {
                reported = ReportedMessage.of(base64(item.path("payload").asText()), type.startsWith("text/rfc822-headers"));
                break;
            }
        }
        String type = text(doc, "type");
        String note = text(doc, "source_identifier") != null && !stated.hasIp()
                ? "XARF source_identifier is no address: " + firstLine(text(doc, "source_identifier")) : null;
        return new Report(ReportKind.XARF, type == null ? null : type.toLowerCase(Locale.ROOT), stated, null, null,
                text(doc, "smtp_from"), reported, note);
    }

    private static Report v3(JsonNode report) {
        JsonNode source = report.path("Source");
        Statement stated = Statement.read(text(source, "IP"), text(source, "Port"), MailDate.parse(text(report, "Date")));
        ReportedMessage reported = null;
        for (JsonNode item : report.path("Attachment")) {
            String type = item.path("ContentType").asText("").toLowerCase(Locale.ROOT);
            if (type.startsWith("message/rfc822") && item.path("Data").isTextual()) {
                reported = ReportedMessage.of(base64(item.path("Data").asText()), false);
                break;
            }
        }
        String type = text(report, "ReportType");
        return new Report(ReportKind.XARF, type == null ? null : type.toLowerCase(Locale.ROOT), stated, null, null, null, reported, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() || v.isNumber() ? v.asText() : null;
    }

    private static byte[] base64(String payload) {
        try {
            return Base64.getMimeDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            return payload.getBytes(StandardCharsets.ISO_8859_1); // not base64: keep what the reporter sent
        }
    }

    /** A streaming pass that refuses deep nesting before any tree is built (a tree's reader recurses). */
    private static String tooDeep(byte[] bytes) {
        int depth = 0;
        try (JsonParser p = new JsonFactory().createParser(bytes)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (++depth > MAX_JSON_DEPTH) {
                        return "XARF JSON nested deeper than " + MAX_JSON_DEPTH;
                    }
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
            return null;
        } catch (IOException e) {
            return "XARF JSON unreadable: " + firstLine(e.getMessage());
        }
    }

    static boolean looksLikeJson(byte[] raw) {
        for (byte b : raw) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
                return false;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
