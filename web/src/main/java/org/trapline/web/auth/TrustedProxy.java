package org.trapline.web.auth;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.common.TerminalText;
import org.trapline.common.net.IpAddress;
import org.trapline.web.Refusal;
import org.trapline.web.account.StaffAccount;
import org.trapline.web.account.StaffAccounts;

import io.javalin.http.Context;

/**
 * Login by a single-sign-on reverse proxy on this host ({@code desk.trusted-proxy.header}, off by default):
 * a request from one of the proxy's loopback addresses that names a staff member in the header is theirs,
 * with the role the accounts store gives them, if they exist and are enabled. The desk opens an ordinary
 * session for them (its cookie and CSRF token as after a password login), so forms stay CSRF-checked even
 * though the proxy adds the header to every request. The header from any other address is refused and
 * logged: it can only be an attempt to pass for someone.
 */
public final class TrustedProxy {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedProxy.class);

    private final String header;
    private final List<IpAddress> from;
    private final Supplier<StaffAccounts> accounts;
    private final StaffSessions sessions;
    private final boolean behindTls;

    public TrustedProxy(String header, List<IpAddress> from, Supplier<StaffAccounts> accounts, StaffSessions sessions, boolean behindTls) {
        this.header = header;
        this.from = List.copyOf(from);
        this.accounts = accounts;
        this.sessions = sessions;
        this.behindTls = behindTls;
    }

    /**
     * The session of the staff member the proxy names: {@code had} when it is theirs already, else a new one
     * (its cookie set on the answer). Without the header, {@code had} as it is.
     *
     * @throws Refusal 403 for the header from another address than the proxy's, or naming nobody who may log in
     */
    Optional<StaffSession> session(Context ctx, Optional<StaffSession> had) {
        String named = ctx.header(header);
        if (named == null) {
            return had;
        }
        String peer = ctx.req().getRemoteAddr();
        IpAddress address = IpAddress.parseOrNull(peer);
        if (address == null || !from.contains(address)) {
            LOG.warn("desk: refused a request from {} carrying {} (only the proxy on {} may send it)", peer, header, from);
            throw new Refusal(403, "the " + header + " header is taken only from the desk's own proxy");
        }
        String name = named.strip();
        if (had.isPresent() && had.get().staff().name().equals(name)) {
            return had;
        }
        StaffAccount staff = accounts.get().enabled(name).orElseThrow(() -> {
            LOG.warn("desk: the proxy named {}, who is no enabled staff member", TerminalText.safe(name));
            return new Refusal(403, "the proxy named no enabled staff member");
        });
        had.ifPresent(s -> sessions.close(s.token()));
        StaffSession s = sessions.open(staff);
        ctx.res().addHeader("Set-Cookie", Cookies.of(ctx, behindTls, Gate.SESSION_COOKIE, s.token(), "/", -1));
        LOG.info("desk: {} logged in through the proxy from {}", s.staff().name(), peer);
        return Optional.of(s);
    }
}
