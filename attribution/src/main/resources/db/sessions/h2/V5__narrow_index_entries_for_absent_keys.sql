-- Every session has an entry in each of radacct's indexes, also when the indexed column is NULL (H2, like
-- PostgreSQL, indexes NULLs). An IPv4-only session put three entries keyed NULL into the IPv6 lookup
-- indexes, each carrying its four covering columns, and every stopped session an entry into the
-- Accounting-On/Off index: at import rates a third of the cost of writing a session went there (inserting
-- them, committing them, writing their pages). These columns make those entries NULL throughout: an
-- IPv6 lookup reads the trapline_v6_* copies of the covering columns, which are NULL only for sessions
-- without any IPv6 address or prefix (that no IPv6 lookup can match); Accounting-On/Off finds the open
-- sessions of a NAS by trapline_open_nas, NULL once the Stop was seen (which no reboot changes).
-- FreeRADIUS's columns are untouched; these are derived from them and never written directly.
ALTER TABLE radacct ADD COLUMN trapline_v6_start TIMESTAMP WITH TIME ZONE GENERATED ALWAYS AS
    (CASE WHEN framedipv6address IS NULL AND framedipv6prefix IS NULL AND delegatedipv6prefix IS NULL THEN NULL ELSE acctstarttime END);
ALTER TABLE radacct ADD COLUMN trapline_v6_update TIMESTAMP WITH TIME ZONE GENERATED ALWAYS AS
    (CASE WHEN framedipv6address IS NULL AND framedipv6prefix IS NULL AND delegatedipv6prefix IS NULL THEN NULL ELSE acctupdatetime END);
ALTER TABLE radacct ADD COLUMN trapline_v6_stop TIMESTAMP WITH TIME ZONE GENERATED ALWAYS AS
    (CASE WHEN framedipv6address IS NULL AND framedipv6prefix IS NULL AND delegatedipv6prefix IS NULL THEN NULL ELSE acctstoptime END);
ALTER TABLE radacct ADD COLUMN trapline_v6_stop_seen BOOLEAN GENERATED ALWAYS AS
    (CASE WHEN framedipv6address IS NULL AND framedipv6prefix IS NULL AND delegatedipv6prefix IS NULL THEN NULL ELSE trapline_stop_seen END);
ALTER TABLE radacct ADD COLUMN trapline_open_nas VARCHAR(45) GENERATED ALWAYS AS
    (CASE WHEN trapline_stop_seen THEN NULL ELSE nasipaddress END);

DROP INDEX radacct_framedipv6address_start;
DROP INDEX radacct_framedipv6prefix_start;
DROP INDEX radacct_delegatedipv6prefix_start;
DROP INDEX radacct_nas_open;
CREATE INDEX radacct_framedipv6address_start ON radacct
    (framedipv6address, trapline_v6_start DESC, trapline_v6_update, trapline_v6_stop, trapline_v6_stop_seen);
CREATE INDEX radacct_framedipv6prefix_start ON radacct
    (framedipv6prefix, trapline_v6_start DESC, trapline_v6_update, trapline_v6_stop, trapline_v6_stop_seen);
CREATE INDEX radacct_delegatedipv6prefix_start ON radacct
    (delegatedipv6prefix, trapline_v6_start DESC, trapline_v6_update, trapline_v6_stop, trapline_v6_stop_seen);
CREATE INDEX radacct_nas_open ON radacct (trapline_open_nas);
