-- The desk's casebook: what staff did (the hash-chained audit) and what they wrote down about a case
-- (notes, the case's status). Instants are epoch milliseconds (UTC). PostgreSQL: the schema casebook.

-- Every staff act, in order. Each entry's hash is SHA-256 over the one before's and its own fields
-- (AuditChain), so a changed entry, or one taken out of the middle, breaks the chain.
CREATE TABLE staff_audit (
    seq        BIGINT        PRIMARY KEY,
    at_ms      BIGINT        NOT NULL,
    staff      VARCHAR(255)  NOT NULL,
    from_where VARCHAR(255)  NOT NULL,
    act        VARCHAR(32)   NOT NULL,
    subject    VARCHAR(255)  NOT NULL,
    detail     VARCHAR(2000) NOT NULL,
    prev_hash  CHAR(64)      NOT NULL,
    hash       CHAR(64)      NOT NULL
);
CREATE INDEX staff_audit_at ON staff_audit (at_ms);

-- The chain's head: the last entry's number and hash. Every append locks this one row (SELECT ... FOR
-- UPDATE) before it reads the previous hash, so appends of two threads or processes never fork the
-- chain; and an entry taken off the end still shows, as the head names it.
CREATE TABLE staff_audit_head (
    id   INT      PRIMARY KEY,
    seq  BIGINT   NOT NULL,
    hash CHAR(64) NOT NULL
);
INSERT INTO staff_audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Notes by staff on a subscriber's case.
CREATE TABLE case_note (
    id         BIGSERIAL PRIMARY KEY,
    subscriber VARCHAR(255)  NOT NULL,
    at_ms      BIGINT        NOT NULL,
    staff      VARCHAR(255)  NOT NULL,
    text       VARCHAR(4000) NOT NULL
);
CREATE INDEX case_note_subscriber ON case_note (subscriber, id);

-- A case's status as staff last set it; no row is an open case.
CREATE TABLE case_status (
    subscriber VARCHAR(255)  PRIMARY KEY,
    status     VARCHAR(32)   NOT NULL,
    at_ms      BIGINT        NOT NULL,
    staff      VARCHAR(255)  NOT NULL,
    reason     VARCHAR(1000) NOT NULL
);
