-- The brake on automatic actions: trap hits are written by whoever sends mail, and a flood of forged
-- ones must not cut off many customers before staff look; and staff retrying a failed action. Each
-- statement may run again after a stop half way (H2 commits each DDL statement by itself).

-- Why an action that would have run automatically waits for review instead ("brake: ...", "exempt: ...").
ALTER TABLE enforcement_action ADD COLUMN IF NOT EXISTS held_reason VARCHAR(1000);
-- NAS-IP-Address of a CoA/Disconnect target as decided (the brake counts per NAS).
ALTER TABLE enforcement_action ADD COLUMN IF NOT EXISTS target_nas VARCHAR(300);
UPDATE enforcement_action SET target_nas = SUBSTRING(target FROM 5 FOR LOCATE(' ', target) - 5)
    WHERE target_nas IS NULL AND type IN ('FENCE', 'RESTORE', 'DISCONNECT') AND target LIKE 'nas=% %';
-- The brake counts the automatic actions of the last hour.
CREATE INDEX IF NOT EXISTS enforcement_action_created ON enforcement_action (created_ms);

-- A subscriber whose block was decided but whose actions wait for review because of the brake or an
-- exemption: the router ACL export leaves their session address out until staff decide.
ALTER TABLE subscriber_strikes ADD COLUMN IF NOT EXISTS held_reason VARCHAR(1000);

-- Engaged brakes, one row each: 'switch' (staff turned every automatic action to review), 'total'
-- (action.brake.total-per-hour reached) or 'nas:<NAS-IP>' (action.brake.per-nas-per-hour reached for
-- that NAS). Engaging and releasing are journaled as BRAKE actions.
CREATE TABLE IF NOT EXISTS action_brake (
    scope        VARCHAR(320)  PRIMARY KEY,
    engaged_ms   BIGINT        NOT NULL,
    engaged_by   VARCHAR(255)  NOT NULL,
    reason       VARCHAR(1000) NOT NULL
);

-- A staff retry of a FAILED action is a new action naming the one it retries, which stays as it was.
ALTER TABLE enforcement_action ADD COLUMN IF NOT EXISTS retry_of BIGINT;
CREATE INDEX IF NOT EXISTS enforcement_action_retry_of ON enforcement_action (retry_of);
