-- Statements of the users store (StaffAccounts), PostgreSQL 15+: the same as H2's.

-- name: insert
INSERT INTO staff_account (name, role, password_hash, created_at) VALUES (:name, :role, :hash, :createdAt)

-- name: find
SELECT name, role, password_hash, disabled_at FROM staff_account WHERE name = :name

-- name: list
SELECT name, role, password_hash, disabled_at FROM staff_account ORDER BY name

-- Every enabled admin, locked: a change that could leave no admin is decided under these locks.
-- name: lock_admins
SELECT name FROM staff_account WHERE role = 'ADMIN' AND disabled_at IS NULL ORDER BY name FOR UPDATE

-- name: set_role
UPDATE staff_account SET role = :role WHERE name = :name

-- name: set_disabled
UPDATE staff_account SET disabled_at = :disabledAt WHERE name = :name
