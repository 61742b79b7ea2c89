-- Scheduled automation rules (issue 23): a rule whose trigger is a cron schedule keeps its next fire here. The runner
-- moves next_fire_at on and inserts the fire's run in one transaction, only where next_fire_at still holds the fire it
-- read, so each fire makes one run however many nodes look (and automation_runs' UNIQUE (tenant_id, rule_id, seq),
-- seq being the fire time in Unix seconds, says the same again). PostgreSQL's 0027 is the same.
ALTER TABLE automation_rules ADD COLUMN next_fire_at TEXT;
CREATE INDEX ix_automation_rules_fire ON automation_rules (next_fire_at) WHERE next_fire_at IS NOT NULL;
