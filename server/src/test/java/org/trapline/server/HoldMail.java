package org.trapline.server;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Test-only mailet that never returns, so a test can kill the server after messages were acknowledged
 * but before the pipeline ran.
 */
public class HoldMail extends GenericMailet {
    @Override
    public void service(Mail mail) throws javax.mail.MessagingException {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new javax.mail.MessagingException("held mail interrupted");
        }
    }
}
