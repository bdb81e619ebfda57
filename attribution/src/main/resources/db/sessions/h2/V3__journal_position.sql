-- How far the accounting journal (RADIUS records acknowledged before they reach radacct) has been
-- applied. Written in the same transaction as the rows it covers, so a restart replays exactly the
-- records after it.
CREATE TABLE trapline_journal_position (
    journal         VARCHAR(64) PRIMARY KEY,
    appliedposition BIGINT NOT NULL
);
