-- Why staff decided (confirmed, dismissed, retried, unblocked, switched the brake), in their words, beside
-- who did it (decided_by, or the actor of what their decision journaled).
ALTER TABLE enforcement_action ADD COLUMN IF NOT EXISTS reason VARCHAR(1000);
