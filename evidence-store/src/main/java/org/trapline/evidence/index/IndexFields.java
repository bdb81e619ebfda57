package org.trapline.evidence.index;

/**
 * Names of the index fields, in one place because the document builder, the query language and
 * the facets must agree on them.
 */
public final class IndexFields {
    private IndexFields() {
    }

    /**
     * The document layout's version, kept in each commit's user data: an index written by an older layout
     * lacks fields the desk counts on, so it is rebuilt from the stores when opened.
     */
    public static final int VERSION = 2;
    /** The commit user-data key of {@link #VERSION}. */
    public static final String VERSION_KEY = "trapline.index.version";

    /** Hit id as a string term: the key for update and delete. */
    public static final String HIT_KEY = "hit_key";
    /** Hit id as doc values (result lists) and points. */
    public static final String HIT_ID = "hit_id";
    /** Received-at, epoch milliseconds: LongPoint for ranges, doc values for newest-first sort. */
    public static final String TIME = "time";
    /** Subject words. */
    public static final String SUBJECT = "subject";
    /** Everything readable: subject, decoded body text of every part, attachment names. */
    public static final String TEXT = "text";
    /** From and Sender header addresses and names, plus the envelope sender. */
    public static final String FROM = "from";
    /** To and Cc header addresses and names, plus the trap recipients. */
    public static final String TO = "to";
    public static final String REPLY_TO = "reply_to";
    /** URL words (scheme, host labels, path words). */
    public static final String URL = "url";
    /** URL host names and each of their parent domains, exact terms. */
    public static final String DOMAIN = "domain";
    /** URL host names as doc values, for the top-domains facet. */
    public static final String URL_HOST = "url_host";
    public static final String ATTACHMENT = "attachment";
    public static final String ATTACHMENT_TYPE = "attachment_type";
    /** Flags for has: queries (attachment, url, subscriber, raw). */
    public static final String HAS = "has";
    /** Origin IP as InetAddressPoint (CIDR queries) and doc values (top origin IPs facet). */
    public static final String ORIGIN_IP = "origin_ip";
    /** The address our MX saw on the connection. */
    public static final String CLIENT_IP = "client_ip";
    /** Origin network (/24 of IPv4, /48 of IPv6) as doc values, for the origin-network facet. */
    public static final String ORIGIN_NET = "origin_net";
    /** Subscriber as a term, doc values (subscriber facet) and stored. */
    public static final String SUBSCRIBER = "subscriber";
    public static final String SESSION = "session";
    /** Attribution status, lowercased, as a term and doc values (status facet). */
    public static final String STATUS = "status";
    public static final String TRAP = "trap";
    /** Domains of the trap addresses, as terms and doc values (trap-domain facet). */
    public static final String TRAP_DOMAIN = "trap_domain";
    /** UTC day received, {@code 2026-11-20}, as doc values (day facet). */
    public static final String DAY = "day";
    public static final String HELO = "helo";
    public static final String MESSAGE_ID = "message_id";
    public static final String SHA256 = "sha256";
    /** Stored only: the first part of the body text, for snippets. */
    public static final String PREVIEW = "preview";
}
