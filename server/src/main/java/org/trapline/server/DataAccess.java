package org.trapline.server;

import java.util.Optional;

import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.attribution.session.SessionStore;
import org.trapline.desk.Desk;
import org.trapline.evidence.EvidenceStore;
import org.trapline.enforcement.Enforcement;
import org.trapline.web.WebDesk;
import org.trapline.web.account.StaffAccounts;

/**
 * The stores of one data directory as the commands use them. Exactly one process has a data directory's
 * databases open: the running server ({@code ServerData}, whose control socket runs every command beside
 * it), or, when none runs, the command's own process ({@link LocalData}). Commands never close what they
 * get here; whoever made the access closes it.
 */
public interface DataAccess {
    SessionStore sessions();

    /** Lookups that cover every accounting record acknowledged so far. */
    AttributionLookup attribution();

    EvidenceStore evidence();

    Enforcement enforcement();

    /** What staff look at and decide, over this data directory's evidence and enforcement. */
    Desk desk();

    /** Who may log in to the web desk. */
    StaffAccounts staff();

    /** The running server's own state; empty when no server holds the data directory. */
    Optional<ServerStatus> server();

    /** The running server's web desk, for the relay of a desk beside it; empty without a server or a desk. */
    default Optional<WebDesk> webDesk() {
        return Optional.empty();
    }
}
