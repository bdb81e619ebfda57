-- The IPv6 and open-session lookups move from indexes over radacct (which hold an entry for every row,
-- NULL keys included: four per IPv4-only session, a fifth of a detail import's time) to
-- trapline_session_key, which holds entries only where a key exists: H2's stand-in for the partial
-- indexes PostgreSQL would use. The trigger SessionKeysTrigger keeps it in step with every write to
-- radacct, in the writer's transaction. It also gives the subscriber's current session an index (it was
-- a scan of radacct: 12 s on 10 million sessions, in the path of a re-targeted CoA).
--
-- id is radacctid * 8 + kind; kind (SessionKeysTrigger.Kind): 0 = nasipaddress of a session whose Stop
-- was not seen (no times), 1 = framedipv6address, 2 = framedipv6prefix, 3 = delegatedipv6prefix,
-- 4 = username of a session without a stop time (no times).
--
-- H2 commits each DDL statement on its own, so a migration stopped half way (killed during the minutes it
-- takes on a big store) leaves part of its work done and runs again from the top at the next start:
-- every step here finds its work done, or does it again.
CREATE TABLE IF NOT EXISTS trapline_session_key (
    id                 BIGINT PRIMARY KEY,
    kind               TINYINT NOT NULL,
    keytext            VARCHAR(253) NOT NULL,
    acctstarttime      TIMESTAMP WITH TIME ZONE,
    acctupdatetime     TIMESTAMP WITH TIME ZONE,
    acctstoptime       TIMESTAMP WITH TIME ZONE,
    trapline_stop_seen BOOLEAN
);

DELETE FROM trapline_session_key;
INSERT INTO trapline_session_key
    SELECT radacctid * 8, 0, nasipaddress, NULL, NULL, NULL, NULL FROM radacct WHERE NOT trapline_stop_seen;
INSERT INTO trapline_session_key
    SELECT radacctid * 8 + 1, 1, framedipv6address, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen
    FROM radacct WHERE framedipv6address IS NOT NULL;
INSERT INTO trapline_session_key
    SELECT radacctid * 8 + 2, 2, framedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen
    FROM radacct WHERE framedipv6prefix IS NOT NULL;
INSERT INTO trapline_session_key
    SELECT radacctid * 8 + 3, 3, delegatedipv6prefix, acctstarttime, acctupdatetime, acctstoptime, trapline_stop_seen
    FROM radacct WHERE delegatedipv6prefix IS NOT NULL;
INSERT INTO trapline_session_key
    SELECT radacctid * 8 + 4, 4, username, NULL, NULL, NULL, NULL
    FROM radacct WHERE acctstoptime IS NULL AND username IS NOT NULL;

-- Newest first with the times a lookup decides by, so an IPv6 lookup reads this index alone, as the
-- IPv4 one reads radacct_framedip_start. keytext comes first: H2 used the IN list of an address's
-- prefixes (one per prefix length in use) only when it was the index's first column (EXPLAIN).
CREATE INDEX IF NOT EXISTS trapline_session_key_lookup ON trapline_session_key
    (keytext, kind, acctstarttime DESC, acctupdatetime, acctstoptime, trapline_stop_seen);

CREATE TRIGGER IF NOT EXISTS trapline_session_key_sync AFTER INSERT, UPDATE, DELETE ON radacct
    FOR EACH ROW CALL 'org.trapline.attribution.session.SessionKeysTrigger';

DROP INDEX IF EXISTS radacct_framedipv6address_start;
DROP INDEX IF EXISTS radacct_framedipv6prefix_start;
DROP INDEX IF EXISTS radacct_delegatedipv6prefix_start;
DROP INDEX IF EXISTS radacct_nas_open;
-- One statement: H2 copies the table for a dropped column.
ALTER TABLE radacct DROP COLUMN IF EXISTS (trapline_v6_start, trapline_v6_update, trapline_v6_stop, trapline_v6_stop_seen, trapline_open_nas);
