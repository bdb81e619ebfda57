package org.trapline.enforcement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.trapline.enforcement.coa.CoaResult;
import org.trapline.enforcement.coa.NasCommand;
import org.trapline.enforcement.coa.NasGateway;

/** A NAS that holds the sessions it is told about, NAKs 503 for others, or stays silent when down. */
final class FakeNas implements NasGateway {
    final List<NasCommand> received = new ArrayList<>();
    final Set<String> sessions = new HashSet<>();
    boolean down;
    /** Runs while a request is "on the wire", once (to provoke races). */
    Runnable duringSend;

    @Override
    public CoaResult send(NasCommand c) {
        received.add(c);
        Runnable r = duringSend;
        duringSend = null;
        if (r != null) r.run();
        String req = c.kind() + " " + c.target().describe() + " " + c.attributes();
        Instant t = Instant.EPOCH;
        if (down) return new CoaResult(CoaResult.Outcome.TIMEOUT, null, 3, "fake:3799", req, "", "", t, t);
        if (sessions.contains(c.target().acctSessionId())) {
            return new CoaResult(CoaResult.Outcome.ACK, null, 1, "fake:3799", req, c.kind() == NasCommand.Kind.COA ? "CoA-ACK" : "Disconnect-ACK", "", t, t);
        }
        return new CoaResult(CoaResult.Outcome.NAK, 503, 1, "fake:3799", req, "NAK\nError-Cause = 503 Session-Context-Not-Found", "", t, t);
    }
}
