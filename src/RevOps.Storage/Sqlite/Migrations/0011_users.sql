-- Users and record owners. The users table is the User object's record table, column for column what
-- Schema/ObjectTable generates from the registry (the storage contract suite checks it); user_access holds
-- what only the server reads (the admin flag, the password hash), never exposed as a field.
-- Existing tenants get their Integration User, existing keys and records their owner, in the shared 0012.
CREATE TABLE users (
    tenant_id         TEXT NOT NULL,
    row_version       INTEGER NOT NULL,
    custom_fields     TEXT,
    deleted_at        TEXT,
    deleted_with      TEXT,
    Id                TEXT NOT NULL,
    IsDeleted         INTEGER NOT NULL DEFAULT 0,
    CreatedDate       TEXT NOT NULL,
    CreatedById       TEXT,
    LastModifiedDate  TEXT NOT NULL,
    LastModifiedById  TEXT,
    SystemModstamp    TEXT NOT NULL,
    Username          TEXT COLLATE NOCASE,
    Email             TEXT COLLATE NOCASE,
    FirstName         TEXT COLLATE NOCASE,
    LastName          TEXT COLLATE NOCASE,
    Name              TEXT COLLATE NOCASE,
    Alias             TEXT,
    Title             TEXT,
    Department        TEXT,
    CompanyName       TEXT,
    Phone             TEXT,
    MobilePhone       TEXT,
    ManagerId         TEXT,
    IsActive          INTEGER,
    TimeZoneSidKey    TEXT,
    LocaleSidKey      TEXT,
    LanguageLocaleKey TEXT,
    UserType          TEXT,
    LastLoginDate     TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_users_deleted ON users (tenant_id, deleted_at) WHERE IsDeleted = 1;
-- A username names one user on the whole server (sign-in and JWT subjects look users up by it).
CREATE UNIQUE INDEX ux_users_username ON users (Username);

CREATE TABLE user_access (
    tenant_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    is_admin       INTEGER NOT NULL DEFAULT 0,
    password_hash  TEXT,
    password_set_at TEXT,
    PRIMARY KEY (tenant_id, user_id)
);

-- A key acts as its user; the change log keeps the user (actor_id, with its name at the time) and the key.
ALTER TABLE api_keys ADD COLUMN user_id TEXT;
ALTER TABLE change_log ADD COLUMN actor_name TEXT;
ALTER TABLE change_log ADD COLUMN key_id TEXT;

ALTER TABLE account ADD COLUMN OwnerId TEXT;
ALTER TABLE contact ADD COLUMN OwnerId TEXT;
ALTER TABLE lead ADD COLUMN OwnerId TEXT;
ALTER TABLE opportunity ADD COLUMN OwnerId TEXT;
ALTER TABLE task ADD COLUMN OwnerId TEXT;
ALTER TABLE event ADD COLUMN OwnerId TEXT;
-- "My open deals": owner filters seek; the planner's assumption as in 0008.
CREATE INDEX ix_account_owner ON account (tenant_id, OwnerId);
CREATE INDEX ix_contact_owner ON contact (tenant_id, OwnerId);
CREATE INDEX ix_lead_owner ON lead (tenant_id, OwnerId);
CREATE INDEX ix_opportunity_owner ON opportunity (tenant_id, OwnerId);
CREATE INDEX ix_task_owner ON task (tenant_id, OwnerId);
CREATE INDEX ix_event_owner ON event (tenant_id, OwnerId);
INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('account', 'ix_account_owner', '1000000 10000 20'),
    ('contact', 'ix_contact_owner', '1000000 10000 20'),
    ('lead', 'ix_lead_owner', '1000000 10000 20'),
    ('opportunity', 'ix_opportunity_owner', '1000000 10000 20'),
    ('task', 'ix_task_owner', '1000000 10000 20'),
    ('event', 'ix_event_owner', '1000000 10000 20');
ANALYZE sqlite_schema;
