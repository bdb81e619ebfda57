package org.trapline.mailets.spool;


import javax.inject.Inject;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Lets go of the spooled copy once every mailet before it has made its results durable: after the next
 * durability barrier of the {@link SpoolReleaser}. Put it last in the trap processor, right before the
 * mail is ghosted. Step 6 of the {@link DurableIntake} protocol.
 *
 * <pre>{@code
 * <mailet match="All" class="org.trapline.mailets.spool.ReleaseSpool"/>
 * }</pre>
 */
public class ReleaseSpool extends GenericMailet {
    private final SpoolReleaser releaser;

    @Inject
    public ReleaseSpool(SpoolReleaser releaser) {
        this.releaser = releaser;
    }

    @Override
    public void service(Mail mail) {
        IntakeKeys.of(mail).ifPresent(releaser::releaseAfterBarrier);
    }

    @Override
    public String getMailetInfo() {
        return "Trapline: release the durable spool copy of a finished trap hit";
    }
}
