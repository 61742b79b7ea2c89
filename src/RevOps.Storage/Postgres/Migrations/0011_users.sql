-- Users and record owners (SQLite's 0011 is the same change; see there). The users table is column for column
-- what Schema/ObjectTable generates; user_access holds what only the server reads. Existing tenants get
-- their Integration User, existing keys and records their owner, in the shared 0012.
CREATE TABLE users (
    tenant_id         uuid NOT NULL,
    row_version       bigint NOT NULL,
    custom_fields     jsonb,
    deleted_at        timestamptz,
    deleted_with      text COLLATE "C",
    Id                text COLLATE "C" NOT NULL,
    IsDeleted         boolean NOT NULL DEFAULT false,
    CreatedDate       timestamptz NOT NULL,
    CreatedById       text COLLATE "C",
    LastModifiedDate  timestamptz NOT NULL,
    LastModifiedById  text COLLATE "C",
    SystemModstamp    timestamptz NOT NULL,
    Username          text COLLATE revops_nocase,
    Email             text COLLATE revops_nocase,
    FirstName         text COLLATE revops_nocase,
    LastName          text COLLATE revops_nocase,
    Name              text COLLATE revops_nocase,
    Alias             text COLLATE "C",
    Title             text COLLATE "C",
    Department        text COLLATE "C",
    CompanyName       text COLLATE "C",
    Phone             text COLLATE "C",
    MobilePhone       text COLLATE "C",
    ManagerId         text COLLATE "C",
    IsActive          boolean,
    TimeZoneSidKey    text COLLATE "C",
    LocaleSidKey      text COLLATE "C",
    LanguageLocaleKey text COLLATE "C",
    UserType          text COLLATE "C",
    LastLoginDate     timestamptz,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_users_deleted ON users (tenant_id, deleted_at) WHERE IsDeleted = true;
-- A username names one user on the whole server; the constraint holds across tenants, row-level security or not.
CREATE UNIQUE INDEX ux_users_username ON users (Username);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON users USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO revops_tenant;

CREATE TABLE user_access (
    tenant_id       uuid NOT NULL,
    user_id         text COLLATE "C" NOT NULL,
    is_admin        boolean NOT NULL DEFAULT false,
    password_hash   text COLLATE "C",
    password_set_at timestamptz,
    PRIMARY KEY (tenant_id, user_id)
);
ALTER TABLE user_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON user_access USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON user_access TO revops_tenant;

ALTER TABLE api_keys ADD COLUMN user_id text COLLATE "C";
ALTER TABLE change_log ADD COLUMN actor_name text COLLATE "C";
ALTER TABLE change_log ADD COLUMN key_id text COLLATE "C";

ALTER TABLE account ADD COLUMN OwnerId text COLLATE "C";
ALTER TABLE contact ADD COLUMN OwnerId text COLLATE "C";
ALTER TABLE lead ADD COLUMN OwnerId text COLLATE "C";
ALTER TABLE opportunity ADD COLUMN OwnerId text COLLATE "C";
ALTER TABLE task ADD COLUMN OwnerId text COLLATE "C";
ALTER TABLE event ADD COLUMN OwnerId text COLLATE "C";
CREATE INDEX ix_account_owner ON account (tenant_id, OwnerId);
CREATE INDEX ix_contact_owner ON contact (tenant_id, OwnerId);
CREATE INDEX ix_lead_owner ON lead (tenant_id, OwnerId);
CREATE INDEX ix_opportunity_owner ON opportunity (tenant_id, OwnerId);
CREATE INDEX ix_task_owner ON task (tenant_id, OwnerId);
CREATE INDEX ix_event_owner ON event (tenant_id, OwnerId);
