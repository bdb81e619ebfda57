package org.trapline.reports.out;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Who sends our reports: organisation, contact address and domain (XARF's reporter and sender, ARF's
 * From), and the User-Agent of ARF's feedback part.
 *
 * <pre>
 * report.out.org=      organisation name (default: the domain)
 * report.out.contact=  contact address (default: notice.from, then abuse@localhost)
 * report.out.domain=   organisation domain (default: the contact address's domain)
 * </pre>
 */
public record Reporter(String org, String contact, String domain, String userAgent) {

    public static Reporter from(Properties settings) {
        String contact = value(settings, "report.out.contact", value(settings, "notice.from", "abuse@localhost"));
        String domain = value(settings, "report.out.domain", Incident.domainOf(contact) == null ? "localhost" : Incident.domainOf(contact));
        return new Reporter(value(settings, "report.out.org", domain), contact, domain, "Trapline/" + version());
    }

    private static String value(Properties settings, String key, String fallback) {
        String v = settings.getProperty(key, "").strip();
        return v.isEmpty() ? fallback : v;
    }

    /** The project version Maven wrote into this module's resources. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Reporter.class.getResourceAsStream("/org/trapline/reports/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("version", "");
        return v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }
}
