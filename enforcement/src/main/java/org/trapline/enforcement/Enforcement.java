package org.trapline.enforcement;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import org.trapline.common.sql.StoreSettings;

import org.trapline.enforcement.coa.CoaSender;
import org.trapline.enforcement.coa.CoaSettings;
import org.trapline.attribution.session.SessionTarget;

/**
 * Enforcement wired from settings the standard way: the policy database under the data directory,
 * CoA through {@link CoaSender}, notices through {@link MailNoticeSender} with the contacts file
 * {@code notice.contacts} (relative to the data directory), the exemptions of {@code action.exempt-file}
 * (relative to the conf directory). The server and the command line share it;
 * the server passes the attribution lookup as {@code currentSession}.
 */
public final class Enforcement implements AutoCloseable {

    private final PolicyDatabase database;
    private final PolicySettings settings;
    private final Enforcer enforcer;

    private Enforcement(PolicyDatabase database, PolicySettings settings, Enforcer enforcer) {
        this.database = database;
        this.settings = settings;
        this.enforcer = enforcer;
    }

    /**
     * @param currentSession the subscriber's session right now (attribution lookup); {@code s -> Optional.empty()}
     *                       closes actions whose session is gone instead of re-targeting them
     * @throws IllegalArgumentException a bad setting (the message names the key) or a bad line of the
     *                                  exemption file ({@code FILE:LINE: ...})
     */
    public static Enforcement open(Properties props, Path dataDir, Function<String, Optional<SessionTarget>> currentSession,
                                   Clock clock) {
        PolicySettings settings = PolicySettings.from(props);
        Path exemptFile = org.trapline.common.Settings.path(props, Exemptions.FILE_KEY);
        Exemptions exemptions = exemptFile == null ? Exemptions.none() : Exemptions.load(exemptFile);
        CoaSender coa = new CoaSender(CoaSettings.from(props), clock, org.tinyradius.dictionary.DefaultDictionary.getDefaultDictionary());
        String contacts = props.getProperty("notice.contacts", "contacts.properties").strip();
        MailNoticeSender notices = new MailNoticeSender(props, MailNoticeSender.contactsFile(dataDir.resolve(contacts)));
        PolicyDatabase database = PolicyDatabase.open(dataDir, StoreSettings.from(props));
        return new Enforcement(database, settings, new Enforcer(settings, database.jdbi(), coa, notices, currentSession, clock,
                exemptions));
    }

    public Enforcer enforcer() {
        return enforcer;
    }

    public PolicySettings settings() {
        return settings;
    }

    @Override
    public void close() {
        database.close();
    }
}
