-- A staff member an admin disabled may not log in; the row stays, so their past decisions keep a name.
ALTER TABLE staff_account ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;
