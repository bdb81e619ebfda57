-- The review list shows the hits that named nobody because of a fault (NO_ORIGIN, UNDATED), newest first;
-- most hits that name nobody are NOT_OURS, so that list needs its own index to avoid reading past them.
CREATE INDEX unattributed_hit_attribution_at ON unattributed_hit (attribution, at_ms);
