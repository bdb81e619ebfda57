-- Sessions in FreeRADIUS's radacct layout (column names of its PostgreSQL schema), so an operator can
-- later point Trapline at an existing accounting database. Addresses are kept as text, as FreeRADIUS
-- writes them; IPv6 prefixes in RFC 5952 form ("2001:db8:ff00:2300::/56") so that a lookup can
-- compare them for equality through an index.
CREATE TABLE radacct (
    radacctid           BIGINT AUTO_INCREMENT PRIMARY KEY,
    acctsessionid       VARCHAR(253) NOT NULL,
    -- Trapline writes "NAS-IP-Address Acct-Session-Id" here (see SessionStore.uniqueId).
    acctuniqueid        VARCHAR(600) NOT NULL,
    username            VARCHAR(253),
    groupname           VARCHAR(253),
    realm               VARCHAR(64),
    nasipaddress        VARCHAR(45) NOT NULL,
    nasportid           VARCHAR(253),
    nasporttype         VARCHAR(32),
    acctstarttime       TIMESTAMP WITH TIME ZONE NOT NULL,
    acctupdatetime      TIMESTAMP WITH TIME ZONE NOT NULL,
    acctstoptime        TIMESTAMP WITH TIME ZONE,
    acctinterval        BIGINT,
    acctsessiontime     BIGINT,
    acctauthentic       VARCHAR(32),
    connectinfo_start   VARCHAR(128),
    connectinfo_stop    VARCHAR(128),
    acctinputoctets     BIGINT,
    acctoutputoctets    BIGINT,
    calledstationid     VARCHAR(253),
    callingstationid    VARCHAR(253),
    acctterminatecause  VARCHAR(64),
    servicetype         VARCHAR(32),
    framedprotocol      VARCHAR(32),
    framedipaddress     VARCHAR(15),
    framedipv6address   VARCHAR(45),
    framedipv6prefix    VARCHAR(49),
    framedinterfaceid   VARCHAR(44),
    delegatedipv6prefix VARCHAR(49),
    -- Class is opaque octets: written as 0x-hex when not printable, so up to 2 + 2 x 253 characters.
    class               VARCHAR(512),
    -- Trapline's additions. Whether the Start / Stop record itself was seen: without it the start is an
    -- estimate (first record's time minus Acct-Session-Time) and a stop came from Accounting-On/Off.
    trapline_start_seen BOOLEAN DEFAULT FALSE NOT NULL,
    trapline_stop_seen  BOOLEAN DEFAULT FALSE NOT NULL,
    -- Vendor-specific attributes as received, one per line.
    trapline_vendor_attributes VARCHAR(65535)
);

CREATE UNIQUE INDEX radacct_acctuniqueid ON radacct (acctuniqueid);
-- The lookup's indexes; the first is the one FreeRADIUS's PostgreSQL schema lacks, (framedipaddress,
-- acctstarttime). Newest start first, and carrying what decides whether a session covers an instant,
-- so that a lookup reads the index alone and fetches only the rows of the sessions that match.
CREATE INDEX radacct_framedip_start ON radacct
    (framedipaddress, acctstarttime DESC, acctupdatetime, acctstoptime, trapline_stop_seen);
CREATE INDEX radacct_framedipv6address_start ON radacct
    (framedipv6address, acctstarttime DESC, acctupdatetime, acctstoptime, trapline_stop_seen);
CREATE INDEX radacct_framedipv6prefix_start ON radacct
    (framedipv6prefix, acctstarttime DESC, acctupdatetime, acctstoptime, trapline_stop_seen);
CREATE INDEX radacct_delegatedipv6prefix_start ON radacct
    (delegatedipv6prefix, acctstarttime DESC, acctupdatetime, acctstoptime, trapline_stop_seen);
-- Accounting-On/Off closes a NAS's open sessions.
CREATE INDEX radacct_nas_open ON radacct (nasipaddress, acctstoptime);

-- Every Accounting-On/Off seen: a session whose last record predates a reboot of its NAS ended then,
-- even when its records arrive after the reboot's (reordered or imported late).
CREATE TABLE trapline_nas_reboot (
    nasipaddress VARCHAR(45) NOT NULL,
    eventtime    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (nasipaddress, eventtime)
);

-- IPv6 prefix lengths present in framedipv6prefix / delegatedipv6prefix, so that a lookup probes only
-- those lengths.
CREATE TABLE trapline_ipv6_prefix_length (
    prefixlength INT PRIMARY KEY
);
