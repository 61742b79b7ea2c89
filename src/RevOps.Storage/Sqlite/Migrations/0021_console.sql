-- The web console (issue 21). user_sign_in counts a user's failed password sign-ins and holds the lockout they
-- earn; console_keys is the console's key ring (ASP.NET Core data protection: the cookies and antiforgery
-- tokens), kept in the database so a cookie issued by one node opens the console on every other.
CREATE TABLE user_sign_in (
    tenant_id     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE console_keys (
    name        TEXT NOT NULL PRIMARY KEY,
    xml         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
