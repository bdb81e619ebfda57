-- Strike policy state and the action journal. Instants are epoch milliseconds (UTC), so no time zone
-- setting of the JVM or database can shift a block's end.

-- One row per subscriber the policy has seen hits for.
CREATE TABLE subscriber_strikes (
    subscriber      VARCHAR(255) PRIMARY KEY,
    strikes         INT          NOT NULL,
    -- quiet periods are counted from here (the last hit, advanced by each strike forgiven)
    decay_from_ms   BIGINT,
    last_strike_ms  BIGINT,
    blocked_until_ms BIGINT,
    suspended_ms    BIGINT,
    -- session a fence CoA was ACKed for: the restoring CoA goes there (or to the current session)
    fenced_target   VARCHAR(1000),
    -- address in the ACL export while blocked
    acl_address     VARCHAR(64),
    last_address    VARCHAR(64),
    updated_ms      BIGINT       NOT NULL
);

-- Attributed hits counted against a subscriber; the id makes a replayed hit count once.
CREATE TABLE strike_hit (
    hit_id      VARCHAR(255) PRIMARY KEY,
    subscriber  VARCHAR(255) NOT NULL,
    at_ms       BIGINT       NOT NULL,
    origin_ip   VARCHAR(64)
);
CREATE INDEX strike_hit_subscriber_at ON strike_hit (subscriber, at_ms);

-- Hits that named nobody (AMBIGUOUS, NO_SESSION, NOT_OURS): never acted on, listed for review.
CREATE TABLE unattributed_hit (
    hit_id      VARCHAR(255) PRIMARY KEY,
    at_ms       BIGINT       NOT NULL,
    origin_ip   VARCHAR(64),
    attribution VARCHAR(20)  NOT NULL,
    recorded_ms BIGINT       NOT NULL
);
CREATE INDEX unattributed_hit_at ON unattributed_hit (at_ms);

-- Every action, whatever became of it.
CREATE TABLE enforcement_action (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    type         VARCHAR(20)   NOT NULL,
    subscriber   VARCHAR(255)  NOT NULL,
    target       VARCHAR(1000),
    attributes   VARCHAR(2000),
    mode         VARCHAR(10)   NOT NULL,
    state        VARCHAR(20)   NOT NULL,
    rule         VARCHAR(1000) NOT NULL,
    hit_ids      VARCHAR(10000),
    actor        VARCHAR(255)  NOT NULL,
    created_ms   BIGINT        NOT NULL,
    decided_by   VARCHAR(255),
    decided_ms   BIGINT,
    outcome      VARCHAR(500),
    error_cause  INT,
    attempts     INT,
    nas          VARCHAR(300),
    request      CLOB,
    answer       CLOB,
    note         VARCHAR(2000),
    finished_ms  BIGINT
);
CREATE INDEX enforcement_action_state ON enforcement_action (state);
CREATE INDEX enforcement_action_subscriber ON enforcement_action (subscriber, id);
