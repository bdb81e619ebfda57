-- The evidence database's statements in PostgreSQL 15+ (org.trapline.common.sql.Statements reads them by
-- name; the schema is db/evidence/postgresql/): the same names, parameters and columns as h2.sql.
--
-- A hit is read by column name (SqlHitStore.hit): id, intake_key, received_at, recorded_at, envelope_sender,
-- trap_recipients, helo, client_ip, origin_ip, origin_time, origin_helo, attribution_status, subscriber,
-- session_id, nas_ip, trace_json, sha256, size, subject, message_id, raw_purged_at.

-- A commit is durable on PostgreSQL already: nothing is left to force.
-- name: sync_to_disk
SELECT 1;

-- Plain JDBC on the inserter's own connection, ? 1 to 22 in this column order (HitInserter.bind). A
-- duplicate intake_key must fail with SQLSTATE 23505 (unique violation), which the inserter takes for a replay.
-- name: insert_hit
INSERT INTO trap_hit (id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip,
    origin_ip, origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size,
    subject, message_id, raw_pack, raw_offset)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- Plain JDBC, ? 1 the sha256; answers raw_pack, raw_offset.
-- name: kept_copy
SELECT raw_pack, raw_offset FROM trap_hit WHERE sha256 = ? AND raw_purged_at IS NULL AND raw_pack IS NOT NULL LIMIT 1;

-- Never behind a row: hits written with ids from elsewhere (an older store) are not handed out again.
-- name: reserve_ids_after_rows
UPDATE hit_id_reservation SET next_free = GREATEST(next_free, (SELECT COALESCE(MAX(id), 0) + 1 FROM trap_hit));

-- name: next_free_id
SELECT next_free FROM hit_id_reservation;

-- name: save_next_free_id
UPDATE hit_id_reservation SET next_free = :next;

-- name: id_by_intake_key
SELECT id FROM trap_hit WHERE intake_key = :k;

-- name: hit_by_id
SELECT id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip, origin_ip,
    origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size, subject,
    message_id, raw_purged_at
FROM trap_hit WHERE id = :id;

-- name: hit_by_intake_key
SELECT id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip, origin_ip,
    origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size, subject,
    message_id, raw_purged_at
FROM trap_hit WHERE intake_key = :k;

-- name: hit_count
SELECT COUNT(*) FROM trap_hit;

-- name: hit_ids
SELECT id FROM trap_hit ORDER BY id;

-- name: hits_by_id
SELECT id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip, origin_ip,
    origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size, subject,
    message_id, raw_purged_at
FROM trap_hit WHERE id IN (<ids>);

-- name: hits_page
SELECT id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip, origin_ip,
    origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size, subject,
    message_id, raw_purged_at
FROM trap_hit WHERE id > :after ORDER BY id LIMIT :limit;

-- name: subscriber_hits_page
SELECT id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip, origin_ip,
    origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size, subject,
    message_id, raw_purged_at
FROM trap_hit WHERE subscriber = :s AND id > :after ORDER BY id LIMIT :limit;

-- name: subscriber_hits
SELECT id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip, origin_ip,
    origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size, subject,
    message_id, raw_purged_at
FROM trap_hit WHERE subscriber = :s ORDER BY received_at, id;

-- name: hits_with_raw_received_before
SELECT id, intake_key, received_at, recorded_at, envelope_sender, trap_recipients, helo, client_ip, origin_ip,
    origin_time, origin_helo, attribution_status, subscriber, session_id, nas_ip, trace_json, sha256, size, subject,
    message_id, raw_purged_at
FROM trap_hit WHERE received_at < :cutoff AND raw_purged_at IS NULL ORDER BY id LIMIT :limit;

-- name: mark_raw_purged
UPDATE trap_hit SET raw_purged_at = :at WHERE id = :id;

-- Answers sha256, raw_pack, raw_offset.
-- name: raw_copy
SELECT sha256, raw_pack, raw_offset FROM trap_hit WHERE id = :id AND raw_purged_at IS NULL AND raw_pack IS NOT NULL;

-- name: move_raw
UPDATE trap_hit SET raw_pack = :p, raw_offset = :o WHERE id = :id;

-- name: raw_copy_users
SELECT COUNT(*) FROM trap_hit WHERE sha256 = :s AND raw_pack = :p AND raw_offset = :o AND raw_purged_at IS NULL;

-- name: live_packs
SELECT DISTINCT raw_pack FROM trap_hit WHERE raw_pack IS NOT NULL AND raw_purged_at IS NULL;

-- Answers id, sha256.
-- name: hits_without_pack
SELECT id, sha256 FROM trap_hit WHERE id > :after AND raw_pack IS NULL AND raw_purged_at IS NULL ORDER BY id LIMIT :limit;

-- name: delete_hit
DELETE FROM trap_hit WHERE id = :id;

-- Answers n, first_at, last_at.
-- name: case_totals
SELECT COUNT(*) n, MIN(received_at) first_at, MAX(received_at) last_at FROM trap_hit WHERE subscriber = :s;

-- Answers d (a date, UTC, whatever the session's time zone), n.
-- name: case_days
SELECT CAST(received_at AT TIME ZONE 'UTC' AS DATE) d, COUNT(*) n FROM trap_hit WHERE subscriber = :s
GROUP BY CAST(received_at AT TIME ZONE 'UTC' AS DATE) ORDER BY d;

-- Answers session_id, nas_ip, origin_ip, n, first_at, last_at: one row per session and address the hits came from.
-- name: case_sessions
SELECT session_id, nas_ip, origin_ip, COUNT(*) n, MIN(received_at) first_at, MAX(received_at) last_at FROM trap_hit
WHERE subscriber = :s GROUP BY session_id, nas_ip, origin_ip ORDER BY first_at;

-- The id is generated (identity column).
-- name: append_journal
INSERT INTO evidence_journal (at, action, target, actor, hits, detail) VALUES (:at, :action, :target, :actor, :hits, :detail);

-- name: recent_journal
SELECT id, at, action, target, actor, hits, detail FROM evidence_journal ORDER BY id DESC LIMIT :limit;
