-- Raw messages moved from one file per message to append-only pack files (raw/<seq>.pack): each row
-- says where its message's record starts. NULL only for rows of a message that was already gone when
-- the one-file layout was moved (or whose raw body retention purged).
ALTER TABLE trap_hit ADD COLUMN raw_pack BIGINT;
ALTER TABLE trap_hit ADD COLUMN raw_offset BIGINT;
