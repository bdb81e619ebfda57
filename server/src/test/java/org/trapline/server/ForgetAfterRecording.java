package org.trapline.server;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Test-only mailet placed right after RecordTrapHit: the pipeline stops there, as if the process died
 * then, so the hit is recorded (and its id logged) while its spool record is never released.
 */
public class ForgetAfterRecording extends GenericMailet {
    @Override
    public void service(Mail mail) {
        mail.setState(Mail.GHOST);
    }
}
