package org.trapline.server.james;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.modules.BlobExportMechanismModule;
import org.apache.james.modules.BlobMemoryModule;
import org.apache.james.modules.MailboxModule;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.modules.data.MemoryDataModule;
import org.apache.james.modules.data.MemoryDelegationStoreModule;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.apache.james.modules.eventstore.MemoryEventStoreModule;
import org.apache.james.modules.mailbox.MemoryMailboxModule;
import org.apache.james.modules.protocols.ProtocolHandlerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.queue.memory.MemoryMailQueueModule;
import org.apache.james.modules.server.MailetContainerModule;
import org.apache.james.modules.server.RawPostDequeueDecoratorModule;
import org.apache.james.modules.server.TaskManagerModule;
import org.apache.james.modules.vault.DeletedMessageVaultModule;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.inject.Module;
import com.google.inject.Scopes;
import com.google.inject.util.Modules;

/**
 * The James modules of an in-memory, SMTP-only server: what {@code MemoryJamesServerMain.SMTP_ONLY_MODULE}
 * combines, named here so the server does not load {@code MemoryJamesServerMain}, whose static fields
 * pull in IMAP, JMAP and WebAdmin. That lets the build leave those jars (and Scala, Cassandra, LDAP)
 * out of the class path; the server module's pom lists the exclusions.
 */
public final class SmtpOnlyJames {
    private SmtpOnlyJames() {
    }

    public static Module modules() {
        return Modules.combine(
                new MailetProcessingModule(),
                new MemoryDelegationStoreModule(),
                new BlobMemoryModule(),
                new DeletedMessageVaultModule(),
                new BlobExportMechanismModule(),
                new MailboxModule(),
                new MemoryDataModule(),
                new MemoryEventStoreModule(),
                new MemoryMailboxModule(),
                new MemoryMailQueueModule(),
                new TaskManagerModule(),
                new ProtocolHandlerModule(),
                // James's SMTP server, each session's replies held until its message is on disk.
                Modules.override(new SMTPServerModule()).with(binder -> binder.bind(SMTPServerFactory.class)
                        .to(TrapSmtpServerFactory.class).in(Scopes.SINGLETON)),
                new RawPostDequeueDecoratorModule(),
                new MemoryUsersRepositoryModule(),
                // No default processors: conf/mailetcontainer.xml defines the whole pipeline.
                binder -> binder.bind(MailetContainerModule.DefaultProcessorsConfigurationSupplier.class)
                        .toInstance(BaseHierarchicalConfiguration::new));
    }
}
