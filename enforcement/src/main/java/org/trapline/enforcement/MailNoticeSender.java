package org.trapline.enforcement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * E-mails a notice to the subscriber through the provider's relay (Java Mail, plain SMTP). Settings:
 * <pre>
 * notice.smtp.host=        relay host (blank: notices fail, journaled, until it is set)
 * notice.smtp.port=25
 * notice.from=             sender address, e.g. abuse@isp.example
 * notice.subject=          subject line
 * notice.contacts=         subscriber=address file (Java properties), relative to the data directory
 * </pre>
 * The brake's messages to staff ({@code action.brake.notify}) go through the same relay and sender.
 */
public final class MailNoticeSender implements NoticeSender {

    private final Properties settings;
    private final Function<String, Optional<String>> contactOf;
    private final Clock clock;

    /** @param contactOf the subscriber's e-mail address ({@link #contactsFile(Path)} or a lookup of the provider's own) */
    public MailNoticeSender(Properties settings, Function<String, Optional<String>> contactOf) {
        this(settings, contactOf, Instant::now);
    }

    MailNoticeSender(Properties settings, Function<String, Optional<String>> contactOf, Clock clock) {
        this.settings = new Properties();
        this.settings.putAll(Objects.requireNonNull(settings, "settings"));
        this.contactOf = Objects.requireNonNull(contactOf, "contactOf");
        this.clock = clock;
    }

    /** Time source for the Date header (tests fix it). */
    @FunctionalInterface
    interface Clock {
        Instant now();
    }

    /**
     * Subscriber contacts from a properties file ({@code subscriber=address} per line), read once.
     * A missing file means no contacts: every notice then fails with a clear reason.
     */
    public static Function<String, Optional<String>> contactsFile(Path file) {
        Properties contacts = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                contacts.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read subscriber contacts " + file, e);
            }
        }
        return s -> Optional.ofNullable(contacts.getProperty(s)).map(String::strip).filter(v -> !v.isEmpty());
    }

    @Override
    public String send(Notice notice) throws MessagingException {
        relayHost();
        String to = contactOf.apply(notice.subscriber())
                .orElseThrow(() -> new MessagingException("no e-mail address for subscriber " + notice.subscriber()));
        return mail(to, value("notice.subject", "Spam sent from your Internet connection"), body(notice), notice.actionId());
    }

    /** The brake's message to the abuse desk, through the same relay and sender as the notices. */
    @Override
    public String sendToStaff(StaffNotice notice) throws MessagingException {
        return mail(notice.to(), notice.subject(), notice.text(), notice.actionId());
    }

    private String relayHost() throws MessagingException {
        String host = value("notice.smtp.host", "");
        if (host.isEmpty()) throw new MessagingException("no notice.smtp.host configured");
        return host;
    }

    private String mail(String to, String subject, String text, long actionId) throws MessagingException {
        String host = relayHost();
        InternetAddress recipient;
        InternetAddress from;
        try {
            recipient = new InternetAddress(to, true);
            from = new InternetAddress(value("notice.from", "abuse@localhost"), true);
        } catch (AddressException e) {
            throw new MessagingException("bad notice address: " + e.getMessage(), e);
        }
        Properties mail = new Properties();
        mail.setProperty("mail.smtp.host", host);
        mail.setProperty("mail.smtp.port", value("notice.smtp.port", "25"));
        mail.setProperty("mail.smtp.connectiontimeout", "10000");
        mail.setProperty("mail.smtp.timeout", "30000");
        mail.setProperty("mail.smtp.writetimeout", "30000");
        Session session = Session.getInstance(mail);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipient(Message.RecipientType.TO, recipient);
        m.setSubject(subject, "UTF-8");
        m.setSentDate(Date.from(clock.now()));
        m.setText(text, "UTF-8");
        m.setHeader("X-Trapline-Action", Long.toString(actionId));
        Transport.send(m);
        return "mailed to " + recipient.getAddress() + " via " + host;
    }

    /** The notice text: what we saw, since when, what it means for the subscriber, and one sample. */
    static String body(Notice n) {
        StringBuilder b = new StringBuilder();
        b.append("Hello,\n\n")
                .append("our spam traps received mail sent from your Internet connection (customer ").append(n.subscriber())
                .append(").\nThis usually means that a computer or device on your network is infected and sends spam\n")
                .append("without your knowledge.\n\n");
        b.append("Trap hits:   ").append(n.hitCount());
        if (n.firstHit() != null) b.append(", from ").append(n.firstHit()).append(" to ").append(n.lastHit());
        b.append('\n');
        b.append("Strikes:     ").append(n.strikes()).append('\n');
        if (n.sampleHitId() != null) {
            b.append("Sample:      trap hit ").append(n.sampleHitId());
            if (n.sampleOriginIp() != null) b.append(" from ").append(n.sampleOriginIp());
            if (n.lastHit() != null) b.append(" at ").append(n.lastHit());
            b.append('\n');
        }
        b.append('\n');
        if (n.suspended()) {
            b.append("Your access has been suspended. Please clean your devices and contact our abuse desk,\n")
                    .append("who will lift the suspension.\n");
        } else if (n.blockedUntil() != null) {
            b.append("Outgoing mail (port 25) from your connection is blocked until ").append(n.blockedUntil())
                    .append(".\nThe block ends by itself; it returns, for longer, if the spam goes on.\n");
        }
        b.append("\nPlease quote this reference when you contact us: action ").append(n.actionId()).append('\n');
        return b.toString();
    }

    private String value(String key, String dflt) {
        String v = settings.getProperty(key);
        return v == null || v.isBlank() ? dflt : v.strip();
    }
}
