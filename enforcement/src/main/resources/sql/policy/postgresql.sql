-- The policy database's statements in PostgreSQL 15+ (READ COMMITTED), as the repositories name them
-- (StrikeRepository: strikes.*, unattributed.*; ActionRepository: actions.*, brake.*). Instants are epoch
-- milliseconds. A *.lock statement locks the rows it returns until the transaction ends.

-- name: strikes.lock
SELECT * FROM subscriber_strikes WHERE subscriber = :s FOR UPDATE;

-- name: strikes.find
SELECT * FROM subscriber_strikes WHERE subscriber = :s;

-- name: strikes.add
-- A subscriber seen for the first time. An insert of the same subscriber by a transaction not yet
-- committed makes this one wait for it, and then do nothing: the row is there to lock.
INSERT INTO subscriber_strikes (subscriber, strikes, updated_ms) VALUES (:s, 0, :now) ON CONFLICT (subscriber) DO NOTHING;

-- name: strikes.save
UPDATE subscriber_strikes
   SET strikes = :strikes, decay_from_ms = :decay, last_strike_ms = :lastStrike, blocked_until_ms = :until,
       suspended_ms = :suspended, fenced_target = :fenced, acl_address = :acl, last_address = :last, held_reason = :held,
       updated_ms = :now
 WHERE subscriber = :s;

-- name: strikes.counted
SELECT COUNT(*) FROM strike_hit WHERE hit_id = :id;

-- name: strikes.count
INSERT INTO strike_hit (hit_id, subscriber, at_ms, origin_ip) VALUES (:id, :s, :at, :ip);

-- name: strikes.hits_within
SELECT hit_id, at_ms, origin_ip FROM strike_hit
 WHERE subscriber = :s AND at_ms > :after AND at_ms <= :until
 ORDER BY at_ms, hit_id;

-- name: strikes.hits_since
SELECT COUNT(*) FROM strike_hit WHERE subscriber = :s AND at_ms > :after;

-- name: strikes.hits
SELECT hit_id, at_ms, origin_ip FROM strike_hit WHERE hit_id IN (<ids>) ORDER BY at_ms, hit_id;

-- name: strikes.forget_hits
DELETE FROM strike_hit WHERE at_ms < :before;

-- name: strikes.block_ended
SELECT subscriber FROM subscriber_strikes
 WHERE suspended_ms IS NULL AND blocked_until_ms IS NOT NULL AND blocked_until_ms <= :now
 ORDER BY subscriber;

-- name: strikes.blocked_addresses
SELECT acl_address AS address, subscriber, blocked_until_ms, suspended_ms FROM subscriber_strikes
 WHERE acl_address IS NOT NULL AND (suspended_ms IS NOT NULL OR blocked_until_ms > :now);

-- name: strikes.blocked_addresses_with_sessions
-- A held subscriber's session address stays out until staff confirm: it would cut them off anyway.
SELECT address, subscriber, blocked_until_ms, suspended_ms FROM (
       SELECT CASE WHEN held_reason IS NULL THEN COALESCE(acl_address, last_address) ELSE acl_address END AS address,
              subscriber, blocked_until_ms, suspended_ms
         FROM subscriber_strikes
        WHERE suspended_ms IS NOT NULL OR blocked_until_ms > :now) blocked
 WHERE address IS NOT NULL;

-- name: unattributed.record
INSERT INTO unattributed_hit (hit_id, at_ms, origin_ip, attribution, recorded_ms) VALUES (:id, :at, :ip, :attribution, :now)
ON CONFLICT (hit_id) DO UPDATE SET at_ms = EXCLUDED.at_ms, origin_ip = EXCLUDED.origin_ip, attribution = EXCLUDED.attribution,
    recorded_ms = EXCLUDED.recorded_ms;

-- name: unattributed.newest
SELECT * FROM unattributed_hit ORDER BY at_ms DESC, hit_id LIMIT :n;

-- name: unattributed.newest_of
SELECT * FROM unattributed_hit WHERE attribution IN (<kinds>) ORDER BY at_ms DESC, hit_id LIMIT :n;

-- name: actions.find
SELECT * FROM enforcement_action WHERE id = :id;

-- name: actions.all
SELECT * FROM enforcement_action ORDER BY id DESC;

-- name: actions.pending
SELECT * FROM enforcement_action WHERE state = 'PENDING_REVIEW' ORDER BY id DESC;

-- name: actions.of_subscriber
SELECT * FROM enforcement_action WHERE subscriber = :s ORDER BY id;

-- name: actions.open_cut_offs
SELECT * FROM enforcement_action
 WHERE subscriber = :s AND state IN ('PENDING_REVIEW', 'QUEUED') AND type IN ('FENCE', 'ACL')
 ORDER BY id;

-- name: actions.queued
SELECT id FROM enforcement_action WHERE state = 'QUEUED' ORDER BY id;

-- name: actions.journal
INSERT INTO enforcement_action (type, subscriber, target, attributes, mode, state, rule, hit_ids, actor, created_ms,
                                held_reason, target_nas, retry_of, decided_by, decided_ms, reason)
VALUES (:type, :s, :target, :attrs, :mode, :state, :rule, :hits, :actor, :now, :held, :nas, :retryOf, :decidedBy, :decidedMs,
        :reason);

-- name: actions.retried_by
SELECT id FROM enforcement_action WHERE retry_of = :id ORDER BY id LIMIT 1;

-- name: actions.decide
UPDATE enforcement_action SET state = :to, decided_by = :by, decided_ms = :now, note = COALESCE(:note, note), reason = :reason
 WHERE id = :id AND state = :from;

-- name: actions.finish
UPDATE enforcement_action
   SET state = :state, target = COALESCE(:target, target), outcome = :outcome, error_cause = :cause, attempts = :attempts,
       nas = :nas, request = :request, answer = :answer, note = :note, finished_ms = :now
 WHERE id = :id;

-- name: actions.dismiss_open
UPDATE enforcement_action SET state = 'DISMISSED', decided_by = :by, decided_ms = :now, note = :note, reason = :reason
 WHERE subscriber = :s AND state = 'PENDING_REVIEW' AND type IN ('FENCE', 'ACL', 'DISCONNECT');

-- name: actions.automatic_since
-- What the brake counts: automatic actions that cut customers off; held, reviewed, dry-run and restoring ones do not.
SELECT COUNT(*) FROM enforcement_action
 WHERE created_ms > :since AND mode = 'AUTO' AND type IN ('FENCE', 'DISCONNECT', 'ACL');

-- name: actions.automatic_since_for_nas
SELECT COUNT(*) FROM enforcement_action
 WHERE created_ms > :since AND mode = 'AUTO' AND type IN ('FENCE', 'DISCONNECT', 'ACL') AND target_nas = :nas;

-- name: actions.automatic_per_nas
SELECT target_nas, COUNT(*) AS n FROM enforcement_action
 WHERE created_ms > :since AND mode = 'AUTO' AND type IN ('FENCE', 'DISCONNECT') AND target_nas IS NOT NULL
 GROUP BY target_nas ORDER BY n DESC, target_nas LIMIT :n;

-- name: brake.lock
SELECT id FROM action_brake_lock FOR UPDATE;

-- name: brake.find
SELECT * FROM action_brake WHERE scope = :scope;

-- name: brake.all
SELECT * FROM action_brake ORDER BY engaged_ms, scope;

-- name: brake.engage
INSERT INTO action_brake (scope, engaged_ms, engaged_by, reason) VALUES (:scope, :at, :by, :reason);

-- name: brake.release
DELETE FROM action_brake WHERE scope = :scope;
