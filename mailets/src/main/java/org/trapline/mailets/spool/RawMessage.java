package org.trapline.mailets.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.mail.MessagingException;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;

/** The bytes of a mail as James received them. */
public final class RawMessage {
    private RawMessage() {
    }

    /**
     * The bytes exactly as the client sent them (after dot-unstuffing), with our own Received header on
     * top. Re-serialising through javax.mail would add a blank line to header-only messages and refold
     * headers: evidence must be what the zombie sent. Other message types (a mailet replaced the
     * message) fall back to javax.mail's serialisation.
     */
    public static byte[] bytesOf(Mail mail) throws IOException, MessagingException {
        if (mail.getMessage() instanceof MimeMessageWrapper wrapper) {
            try (InputStream in = wrapper.getMessageInputStream()) {
                return in.readAllBytes();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}
