package org.trapline.evidence.mime;

import java.util.List;

/**
 * What the index needs from one raw message, decoded as far as hostile MIME allows.
 *
 * @param subject     decoded Subject, or null
 * @param messageId   Message-ID header as written, or null
 * @param from        From addresses (and display names) as readable text
 * @param to          To and Cc addresses
 * @param replyTo     Reply-To addresses
 * @param bodyText    decoded text of every text part (HTML turned into text), capped
 * @param urls        URLs found in the body and in HTML links, capped
 * @param urlHosts    lowercased host names of those URLs
 * @param attachments parts that carry a file name or a non-text type
 * @param problems    what could not be decoded (kept so the desk sees why a message reads oddly)
 */
public record MessageContent(
        String subject,
        String messageId,
        List<String> from,
        List<String> to,
        List<String> replyTo,
        String bodyText,
        List<String> urls,
        List<String> urlHosts,
        List<Attachment> attachments,
        List<String> problems) {

    /** A part that is a file rather than text to read. */
    public record Attachment(String name, String contentType, long size) {
    }

    public MessageContent {
        from = List.copyOf(from);
        to = List.copyOf(to);
        replyTo = List.copyOf(replyTo);
        urls = List.copyOf(urls);
        urlHosts = List.copyOf(urlHosts);
        attachments = List.copyOf(attachments);
        problems = List.copyOf(problems);
    }
}
