-- Statements of the users store (StaffAccounts), PostgreSQL 15+: the same as H2's.

-- name: insert
INSERT INTO staff_account (name, role, password_hash, created_at) VALUES (:name, :role, :hash, :createdAt)

-- name: find
SELECT name, role, password_hash FROM staff_account WHERE name = :name

-- name: list
SELECT name, role, password_hash FROM staff_account ORDER BY name
