-- The session store on PostgreSQL, as the H2 schema stands after its V6: FreeRADIUS's radacct layout and
-- column names (raddb/mods-config/sql/main/postgresql/schema.sql), inet for the addresses a lookup goes by,
-- and partial indexes where H2 needs trapline_session_key and its trigger. Timestamps are timestamptz,
-- microseconds, as H2's TIMESTAMP WITH TIME ZONE. Written for a fresh database: no H2 history here.
CREATE TABLE radacct (
    radacctid           BIGSERIAL PRIMARY KEY,
    acctsessionid       TEXT NOT NULL,
    -- Trapline writes "NAS-IP-Address Acct-Session-Id" here (see SessionStore.uniqueId).
    acctuniqueid        TEXT NOT NULL,
    username            TEXT,
    groupname           TEXT,
    realm               TEXT,
    -- Text, as H2 keeps it: it is part of acctuniqueid and compared as written.
    nasipaddress        TEXT NOT NULL,
    nasportid           TEXT,
    nasporttype         TEXT,
    acctstarttime       TIMESTAMP WITH TIME ZONE NOT NULL,
    acctupdatetime      TIMESTAMP WITH TIME ZONE NOT NULL,
    acctstoptime        TIMESTAMP WITH TIME ZONE,
    acctinterval        BIGINT,
    acctsessiontime     BIGINT,
    acctauthentic       TEXT,
    connectinfo_start   TEXT,
    connectinfo_stop    TEXT,
    acctinputoctets     BIGINT,
    acctoutputoctets    BIGINT,
    calledstationid     TEXT,
    callingstationid    TEXT,
    acctterminatecause  TEXT,
    servicetype         TEXT,
    framedprotocol      TEXT,
    -- Canonical addresses and prefixes (AccountingEvent makes them so), hence inet / cidr.
    framedipaddress     INET,
    framedipv6address   INET,
    framedipv6prefix    CIDR,
    framedinterfaceid   TEXT,
    delegatedipv6prefix CIDR,
    class               TEXT,
    -- Trapline's additions. Whether the Start / Stop record itself was seen: without it the start is an
    -- estimate (first record's time minus Acct-Session-Time) and a stop came from Accounting-On/Off.
    trapline_start_seen BOOLEAN DEFAULT FALSE NOT NULL,
    trapline_stop_seen  BOOLEAN DEFAULT FALSE NOT NULL,
    -- Vendor-specific attributes as received, one per line.
    trapline_vendor_attributes TEXT
);

CREATE UNIQUE INDEX radacct_acctuniqueid ON radacct (acctuniqueid);
-- The lookup's indexes: newest start first, carrying what decides whether a session covers an instant,
-- so that a lookup reads the index alone (INCLUDE) and fetches only the rows of sessions that match.
-- Partial: a session without the key has no entry (H2 needs trapline_session_key for that).
CREATE INDEX radacct_framedip_start ON radacct (framedipaddress, acctstarttime DESC)
    INCLUDE (acctupdatetime, acctstoptime, trapline_stop_seen) WHERE framedipaddress IS NOT NULL;
CREATE INDEX radacct_framedipv6address_start ON radacct (framedipv6address, acctstarttime DESC)
    INCLUDE (acctupdatetime, acctstoptime, trapline_stop_seen) WHERE framedipv6address IS NOT NULL;
CREATE INDEX radacct_framedipv6prefix_start ON radacct (framedipv6prefix, acctstarttime DESC)
    INCLUDE (acctupdatetime, acctstoptime, trapline_stop_seen) WHERE framedipv6prefix IS NOT NULL;
CREATE INDEX radacct_delegatedipv6prefix_start ON radacct (delegatedipv6prefix, acctstarttime DESC)
    INCLUDE (acctupdatetime, acctstoptime, trapline_stop_seen) WHERE delegatedipv6prefix IS NOT NULL;
-- Accounting-On/Off closes the sessions of a NAS whose Stop was not seen.
CREATE INDEX radacct_nas_open ON radacct (nasipaddress) WHERE NOT trapline_stop_seen;
-- A subscriber's open session (the target of a re-targeted CoA).
CREATE INDEX radacct_user_open ON radacct (username, acctstarttime DESC) WHERE acctstoptime IS NULL;

-- Every Accounting-On/Off seen: a session whose last record predates a reboot of its NAS ended then,
-- even when its records arrive after the reboot's (reordered or imported late).
CREATE TABLE trapline_nas_reboot (
    nasipaddress TEXT NOT NULL,
    eventtime    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (nasipaddress, eventtime)
);

-- IPv6 prefix lengths present in framedipv6prefix / delegatedipv6prefix, so that a lookup probes only
-- those lengths.
CREATE TABLE trapline_ipv6_prefix_length (
    prefixlength INT PRIMARY KEY
);

-- How far each followed FreeRADIUS detail file has been imported.
CREATE TABLE trapline_followed_file (
    path       TEXT PRIMARY KEY,
    byteoffset BIGINT NOT NULL,
    linenumber BIGINT NOT NULL
);

-- How far the accounting journal has been applied, written in the same transaction as the rows it covers.
CREATE TABLE trapline_journal_position (
    journal         TEXT PRIMARY KEY,
    appliedposition BIGINT NOT NULL
);
