-- Why staff decided (confirmed, dismissed, retried, unblocked, switched the brake), in their words, beside
-- who did it (decided_by, or the actor of what their decision journaled). V2 to V4 are H2's history: this
-- dialect's V1 already has what they added.
ALTER TABLE enforcement_action ADD COLUMN IF NOT EXISTS reason TEXT;
