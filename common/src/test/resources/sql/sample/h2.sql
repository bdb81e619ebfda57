-- The statements of a sample store, as every store writes its own.

-- name: sample.find
-- (a comment inside a statement is dropped)
SELECT id, name
  FROM sample
 WHERE id = :id;

-- name: sample.touch
UPDATE sample SET touched = TRUE WHERE id = :id
