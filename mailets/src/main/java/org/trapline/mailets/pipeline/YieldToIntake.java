package org.trapline.mailets.pipeline;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Lets the SMTP sessions have the CPU first: lowers the priority of each pipeline thread that runs it
 * (once per thread). During a spam burst the zombies get their 250 at intake speed, and tracing,
 * attribution and evidence catch up as soon as the sessions leave them room. Deferring is safe because
 * every acknowledged message is already in the spool, and bounded because the spool's backlog limit
 * answers 451 before the pipeline falls too far behind. Bots rarely retry after a 4xx, so a trap that
 * answers slowly under load loses exactly the evidence it exists for.
 *
 * <p>First mailet of the root processor:
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.pipeline.YieldToIntake">
 *   <nice>10</nice>
 * </mailet>
 * }</pre>
 * {@code nice}: 1 to 19, the Linux nice value of pipeline threads (higher yields more); 0 switches this off.
 */
public class YieldToIntake extends GenericMailet {
    private ThreadNiceness niceness;

    @Override
    public void init() throws MessagingException {
        int nice;
        try {
            nice = Integer.parseInt(getInitParameter("nice", "10").trim());
        } catch (NumberFormatException e) {
            throw new MessagingException("YieldToIntake: <nice> must be a number from 0 to 19");
        }
        if (nice < 0 || nice > 19) {
            throw new MessagingException("YieldToIntake: <nice> must be from 0 (off) to 19, not " + nice);
        }
        niceness = nice == 0 ? null : new ThreadNiceness(nice);
    }

    @Override
    public void service(Mail mail) {
        if (niceness != null) {
            niceness.applyToCurrentThread();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: pipeline threads yield the CPU to SMTP sessions";
    }
}
