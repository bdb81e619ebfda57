-- The session store's statements in PostgreSQL 15+ (org.trapline.common.sql.Statements reads them by name;
-- the schema is db/sessions/postgresql/). The same names, parameters and column orders as h2.sql, whose
-- header says how each kind of parameter is bound and in which order rows are read. Text parameters are
-- sent untyped (StoreSettings: stringtype=unspecified), so an address binds to an inet or cidr column as is.
--
-- The IPv6 and open-session lookups read radacct's partial indexes (db/sessions/postgresql/V1), which
-- H2 stands in for with trapline_session_key; so the statements of H2's SessionKeysTrigger
-- (*_session_key) have no counterpart here. Addresses are read back through host() and prefixes as
-- text, so they come back in the canonical spelling they were written in.

-- name: nas_reboots
SELECT nasipaddress, eventtime FROM trapline_nas_reboot;

-- name: ipv6_prefix_lengths
SELECT prefixlength FROM trapline_ipv6_prefix_length;

-- name: save_ipv6_prefix_length
INSERT INTO trapline_ipv6_prefix_length (prefixlength) VALUES (:len) ON CONFLICT DO NOTHING;

-- name: journal_position
SELECT appliedposition FROM trapline_journal_position WHERE journal = :j;

-- name: save_journal_position
INSERT INTO trapline_journal_position (journal, appliedposition) VALUES (:j, :p)
ON CONFLICT (journal) DO UPDATE SET appliedposition = EXCLUDED.appliedposition;

-- A commit is durable on PostgreSQL already (synchronous_commit): nothing is left to force.
-- name: sync_to_disk
SELECT 1;

-- Answered from radacct_framedip_start alone.
-- name: ipv4_spans
SELECT radacctid, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen FROM radacct
WHERE framedipaddress = :ip AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n;

-- <keys> are the address and its prefixes: an address key matches framedipv6address only (a prefix of
-- a cidr column is never equal to a host address), a prefix key the prefix columns only. Each branch
-- reads its partial index. A session may come back once per key it has: :n allows for that.
-- name: ipv6_spans
SELECT radacctid, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen FROM (
    (SELECT radacctid, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen FROM radacct
      WHERE framedipv6address IN (<keys>) AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n)
    UNION ALL
    (SELECT radacctid, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen FROM radacct
      WHERE framedipv6prefix IN (<keys>) AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n)
    UNION ALL
    (SELECT radacctid, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen FROM radacct
      WHERE delegatedipv6prefix IN (<keys>) AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n)
) found ORDER BY acctstarttime DESC LIMIT :n;

-- name: sessions_by_radacctid
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, host(framedipaddress),
    host(framedipv6address), framedipv6prefix::text, delegatedipv6prefix::text, acctstarttime, acctupdatetime, acctstoptime,
    acctterminatecause, callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets,
    acctoutputoctets, trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
FROM radacct WHERE radacctid IN (<ids>) ORDER BY acctstarttime DESC;

-- Answered from radacct_user_open.
-- name: newest_open_session
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, host(framedipaddress),
    host(framedipv6address), framedipv6prefix::text, delegatedipv6prefix::text, acctstarttime, acctupdatetime, acctstoptime,
    acctterminatecause, callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets,
    acctoutputoctets, trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
FROM radacct WHERE username = :u AND acctstoptime IS NULL ORDER BY acctstarttime DESC LIMIT 1;

-- name: session_by_unique_id
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, host(framedipaddress),
    host(framedipv6address), framedipv6prefix::text, delegatedipv6prefix::text, acctstarttime, acctupdatetime, acctstoptime,
    acctterminatecause, callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets,
    acctoutputoctets, trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
FROM radacct WHERE acctuniqueid = :id;

-- Plain JDBC: <ids> becomes 1, 2, 4, ... 512 positional ? (the batch's acctuniqueids).
-- name: sessions_by_unique_ids
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, host(framedipaddress),
    host(framedipv6address), framedipv6prefix::text, delegatedipv6prefix::text, acctstarttime, acctupdatetime, acctstoptime,
    acctterminatecause, callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets,
    acctoutputoctets, trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
FROM radacct WHERE acctuniqueid IN (<ids>);

-- Plain JDBC, ? 1 to 22 in this column order (SqlSessionStore.bindRow).
-- name: insert_session
INSERT INTO radacct (acctuniqueid, acctsessionid, nasipaddress, username, framedipaddress, framedipv6address,
    framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, acctterminatecause,
    callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets, acctoutputoctets,
    trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- Plain JDBC, ? 1 to 22 as insert_session, then ? 23 the radacctid.
-- name: update_session
UPDATE radacct SET acctuniqueid = ?, acctsessionid = ?, nasipaddress = ?, username = ?, framedipaddress = ?,
    framedipv6address = ?, framedipv6prefix = ?, delegatedipv6prefix = ?, acctstarttime = ?, acctupdatetime = ?,
    acctstoptime = ?, acctterminatecause = ?, callingstationid = ?, calledstationid = ?, nasportid = ?, class = ?,
    acctsessiontime = ?, acctinputoctets = ?, acctoutputoctets = ?, trapline_start_seen = ?, trapline_stop_seen = ?,
    trapline_vendor_attributes = ?
WHERE radacctid = ?;

-- name: save_nas_reboot
INSERT INTO trapline_nas_reboot (nasipaddress, eventtime) VALUES (:nas, :t) ON CONFLICT DO NOTHING;

-- The sessions of that NAS whose Stop was not seen, through radacct_nas_open.
-- name: close_for_reboot
UPDATE radacct SET acctstoptime = :t, acctterminatecause = 'NAS-Reboot'
WHERE nasipaddress = :nas AND NOT trapline_stop_seen
    AND acctupdatetime <= :t AND (acctstoptime IS NULL OR acctstoptime > :t);

-- name: session_count
SELECT COUNT(*) FROM radacct;

-- name: followed_position
SELECT byteoffset, linenumber FROM trapline_followed_file WHERE path = :p;

-- name: save_followed_position
INSERT INTO trapline_followed_file (path, byteoffset, linenumber) VALUES (:p, :o, :l)
ON CONFLICT (path) DO UPDATE SET byteoffset = EXCLUDED.byteoffset, linenumber = EXCLUDED.linenumber;
