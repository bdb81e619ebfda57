package org.trapline.mailets.trap;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

/** Which mail counts as sent only to the domainless postmaster, also when replayed without its attributes. */
class DomainlessPostmasterTest {
    @Test
    void aMailReplayedFromTheSpoolIsKnownByItsRecipientsAlone() throws Exception {
        FakeMail replayed = FakeMail.builder().name("replay").recipient(new MailAddress("Postmaster@domainless.invalid")).build();
        assertThat(replayed.getAttribute(org.apache.mailet.AttributeName.of(DomainlessPostmaster.ATTRIBUTE))).isEmpty();
        assertThat(DomainlessPostmaster.only(replayed)).isTrue();
    }

    @Test
    void markedOnlyWhenEveryRecipientIsTheDomainlessPostmaster() throws Exception {
        FakeMail alone = FakeMail.builder().name("a").recipient(new MailAddress("postmaster@domainless.invalid")).build();
        DomainlessPostmaster.mark(alone);
        assertThat(alone.getAttribute(org.apache.mailet.AttributeName.of(DomainlessPostmaster.ATTRIBUTE))).isPresent();

        FakeMail withATrap = FakeMail.builder().name("b")
                .recipients(new MailAddress("postmaster@domainless.invalid"), new MailAddress("t@trap.example.net")).build();
        DomainlessPostmaster.mark(withATrap);
        assertThat(DomainlessPostmaster.only(withATrap)).isFalse();
        assertThat(DomainlessPostmaster.only(FakeMail.builder().name("c").recipient(new MailAddress("postmaster@trap.example.net")).build()))
                .as("a trap's own postmaster is a trap").isFalse();
        assertThat(DomainlessPostmaster.is(new MailAddress("bob@domainless.invalid"))).isFalse();
    }
}
