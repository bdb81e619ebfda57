-- Hit ids are reserved when the trap MX accepts a message, before its 250, and written into the spool
-- record with it: a replay after a crash stores the hit under the id the log already showed. Ids are
-- reserved here in blocks, each block made durable before any id of it is handed out, so an id once
-- shown is never given to another message, whatever a crash loses of the rows written after it.
CREATE TABLE hit_id_reservation (next_free BIGINT NOT NULL);
INSERT INTO hit_id_reservation SELECT COALESCE(MAX(id), 0) + 1 FROM trap_hit;
