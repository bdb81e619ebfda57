-- One row that every decision consulting the brake locks (SELECT ... FOR UPDATE) before it reads the
-- switch or counts the last hour's automatic actions, and holds until it has journaled its own: two
-- processes deciding at once cannot both see room under a limit and both run. See PolicyStore.
CREATE TABLE IF NOT EXISTS action_brake_lock (
    id INT PRIMARY KEY
);
MERGE INTO action_brake_lock KEY (id) VALUES (1);
