-- Scheduled automation rules (issue 23): see SQLite's 0027. Row-level security of automation_rules (0026) covers the column.
ALTER TABLE automation_rules ADD COLUMN next_fire_at timestamptz;
CREATE INDEX ix_automation_rules_fire ON automation_rules (next_fire_at) WHERE next_fire_at IS NOT NULL;
