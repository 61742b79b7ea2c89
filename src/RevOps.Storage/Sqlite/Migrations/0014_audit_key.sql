-- The audit log names who acted (the user, since 0012) and now also the key they came with, as the change
-- log does; the shared 0015 moves old rows' keys there. (PostgreSQL's 0014 is the same column.)
ALTER TABLE audit_log ADD COLUMN key_id TEXT;
