-- The audit log names who acted (the user, since 0012) and now also the key they came with (SQLite's 0014
-- is the same column; the shared 0015 moves old rows' keys there).
ALTER TABLE audit_log ADD COLUMN key_id text COLLATE "C";
