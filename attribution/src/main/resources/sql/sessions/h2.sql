-- The session store's statements in H2 (org.trapline.common.sql.Statements reads them by name; the schema
-- is db/sessions/h2/). A second dialect gives every name below in sql/sessions/<dialect>.sql, with the
-- same parameters: named ones (:name) are bound by JDBI, <list> ones by JDBI's bindList, and ? ones by
-- position in the order the comment of the statement gives.
--
-- Session rows are read by position, always in this column order (SqlSessionStore.row):
-- radacctid, acctuniqueid, acctsessionid, username, nasipaddress, framedipaddress, framedipv6address,
-- framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, acctterminatecause,
-- callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets, acctoutputoctets,
-- trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
--
-- Spans are read by position too: radacctid, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen.
--
-- H2 has no partial indexes, so the IPv6 keys and the open sessions of a NAS or a subscriber are found
-- through trapline_session_key, which the trigger SessionKeysTrigger keeps in step with radacct (V6): an
-- entry's id is radacctid * 8 + kind, kind 0 = NAS of a session whose Stop was not seen, 1 to 3 = the
-- IPv6 address, prefix and delegated prefix, 4 = User-Name of a session without a stop time
-- (SessionKeysTrigger.Kind).

-- name: nas_reboots
SELECT nasipaddress, eventtime FROM trapline_nas_reboot;

-- name: ipv6_prefix_lengths
SELECT prefixlength FROM trapline_ipv6_prefix_length;

-- name: save_ipv6_prefix_length
MERGE INTO trapline_ipv6_prefix_length KEY (prefixlength) VALUES (:len);

-- name: journal_position
SELECT appliedposition FROM trapline_journal_position WHERE journal = :j;

-- name: save_journal_position
MERGE INTO trapline_journal_position KEY (journal) VALUES (:j, :p);

-- The store's commits reach the file within WRITE_DELAY (H2Sessions); this writes them and forces the file.
-- name: sync_to_disk
CHECKPOINT SYNC;

-- Answered from radacct_framedip_start alone.
-- name: ipv4_spans
SELECT radacctid, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen FROM radacct
WHERE framedipaddress = :ip AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n;

-- <keys> are the address and its prefixes (an address key has no '/', a prefix key has one, so each text
-- matches keys of its own kind only); kinds 1 to 3 keep out a NAS spelled like the address. Answered from
-- trapline_session_key_lookup alone. A session may come back once per key it has: :n allows for that.
-- name: ipv6_spans
SELECT id / 8, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen FROM trapline_session_key
WHERE keytext IN (<keys>) AND kind BETWEEN 1 AND 3 AND acctstarttime <= :t ORDER BY acctstarttime DESC LIMIT :n;

-- name: sessions_by_radacctid
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, framedipaddress, framedipv6address,
    framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, acctterminatecause,
    callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets, acctoutputoctets,
    trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
FROM radacct WHERE radacctid IN (<ids>) ORDER BY acctstarttime DESC;

-- radacct has no index on username: the subscriber's open-session keys are.
-- name: newest_open_session
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, framedipaddress, framedipv6address,
    framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, acctterminatecause,
    callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets, acctoutputoctets,
    trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
FROM radacct WHERE radacctid IN (SELECT id / 8 FROM trapline_session_key WHERE keytext = :u AND kind = 4)
    AND acctstoptime IS NULL ORDER BY acctstarttime DESC LIMIT 1;

-- name: session_by_unique_id
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, framedipaddress, framedipv6address,
    framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, acctterminatecause,
    callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets, acctoutputoctets,
    trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
FROM radacct WHERE acctuniqueid = :id;

-- Plain JDBC: <ids> becomes 1, 2, 4, ... 512 positional ? (the batch's acctuniqueids).
-- name: sessions_by_unique_ids
SELECT radacctid, acctuniqueid, acctsessionid, username, nasipaddress, framedipaddress, framedipv6address,
    framedipv6prefix, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, acctterminatecause,
    callingstationid, calledstationid, nasportid, class, acctsessiontime, acctinputoctets, acctoutputoctets,
    trapline_start_seen, trapline_stop_seen, trapline_vendor_attributes
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
MERGE INTO trapline_nas_reboot KEY (nasipaddress, eventtime) VALUES (:nas, :t);

-- The sessions of that NAS whose Stop was not seen, by their keys (kind 0).
-- name: close_for_reboot
UPDATE radacct SET acctstoptime = :t, acctterminatecause = 'NAS-Reboot'
WHERE radacctid IN (SELECT id / 8 FROM trapline_session_key WHERE keytext = :nas AND kind = 0)
    AND acctupdatetime <= :t AND (acctstoptime IS NULL OR acctstoptime > :t);

-- name: session_count
SELECT COUNT(*) FROM radacct;

-- name: followed_position
SELECT byteoffset, linenumber FROM trapline_followed_file WHERE path = :p;

-- name: save_followed_position
MERGE INTO trapline_followed_file KEY (path) VALUES (:p, :o, :l);

-- SessionKeysTrigger's own, by position: ? 1 the entry id, 2 the kind, 3 the key, 4 to 7 acctstarttime,
-- acctupdatetime, acctstoptime, trapline_stop_seen.
-- name: insert_session_key
INSERT INTO trapline_session_key (id, kind, keytext, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- ? 1 the key, 2 to 5 acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen, 6 the entry id.
-- name: update_session_key
UPDATE trapline_session_key SET keytext = ?, acctstarttime = ?, acctupdatetime = ?, acctstoptime = ?, trapline_stop_seen = ?
WHERE id = ?;

-- name: delete_session_key
DELETE FROM trapline_session_key WHERE id = ?;
