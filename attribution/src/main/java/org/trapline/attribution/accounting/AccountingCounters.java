package org.trapline.attribution.accounting;

/**
 * A snapshot of what the accounting server has seen since it started.
 *
 * @param received            datagrams read from the socket
 * @param acknowledged        records committed and answered
 * @param retransmissions     retransmissions answered again from the cache
 * @param duplicatesInFlight  retransmissions that arrived before the first copy was committed (dropped; it gets its answer)
 * @param unknownClient       datagrams from sources that are not configured NASes
 * @param badAuthenticator    datagrams whose authenticator does not match the NAS's secret
 * @param malformed           datagrams that are not well-formed Accounting-Requests
 * @param storeFailures       records not answered because the journal could not commit them (the NAS will retry)
 * @param batches             group commits to the journal
 * @param statusServer        Status-Server requests (RFC 5997) answered
 */
public record AccountingCounters(
        long received,
        long acknowledged,
        long retransmissions,
        long duplicatesInFlight,
        long unknownClient,
        long badAuthenticator,
        long malformed,
        long storeFailures,
        long batches,
        long statusServer) {

    /** Everything dropped without an answer. */
    public long dropped() {
        return unknownClient + badAuthenticator + malformed;
    }
}
