-- The Twilio Account Sid beside the auth token (issue 24): recordings are fetched with basic auth AccountSid:AuthToken.
-- Not a secret. The same statement on both engines; voice_settings keeps its row-level security on PostgreSQL.
ALTER TABLE voice_settings ADD COLUMN twilio_account_sid TEXT;
