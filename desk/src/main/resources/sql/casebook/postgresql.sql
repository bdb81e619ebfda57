-- Statements of the desk's casebook (Casebook), PostgreSQL. Instants are epoch milliseconds.

-- name: audit.lock_head
SELECT seq, hash FROM staff_audit_head WHERE id = 1 FOR UPDATE;

-- name: audit.head
SELECT seq, hash FROM staff_audit_head WHERE id = 1;

-- name: audit.append
INSERT INTO staff_audit (seq, at_ms, staff, from_where, act, subject, detail, prev_hash, hash)
VALUES (:seq, :at, :staff, :from, :act, :subject, :detail, :prev, :hash);

-- name: audit.move_head
UPDATE staff_audit_head SET seq = :seq, hash = :hash WHERE id = 1;

-- name: audit.after
SELECT * FROM staff_audit WHERE seq > :after AND seq <= :until ORDER BY seq LIMIT :n;

-- name: audit.newest
SELECT * FROM staff_audit WHERE at_ms >= :since ORDER BY seq DESC LIMIT :n;

-- name: notes.add
INSERT INTO case_note (subscriber, at_ms, staff, text) VALUES (:s, :at, :staff, :text);

-- name: notes.of
SELECT * FROM case_note WHERE subscriber = :s ORDER BY id DESC LIMIT :n;

-- name: status.set
INSERT INTO case_status (subscriber, status, at_ms, staff, reason) VALUES (:s, :status, :at, :staff, :reason)
ON CONFLICT (subscriber) DO UPDATE SET status = EXCLUDED.status, at_ms = EXCLUDED.at_ms, staff = EXCLUDED.staff,
                                       reason = EXCLUDED.reason;

-- name: status.of
SELECT * FROM case_status WHERE subscriber = :s;
