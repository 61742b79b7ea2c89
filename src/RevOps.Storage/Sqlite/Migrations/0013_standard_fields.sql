-- Salesforce's commonly used standard fields that were missing (docs/salesforce-compatibility.md lists
-- per object what is there and what is not). New columns start empty; nothing derives them.
ALTER TABLE account ADD COLUMN AccountSource TEXT;
ALTER TABLE account ADD COLUMN Site TEXT;
ALTER TABLE account ADD COLUMN TickerSymbol TEXT;
ALTER TABLE account ADD COLUMN Ownership TEXT;
ALTER TABLE account ADD COLUMN Sic TEXT;
ALTER TABLE account ADD COLUMN YearStarted TEXT;
ALTER TABLE contact ADD COLUMN OtherPhone TEXT;
ALTER TABLE contact ADD COLUMN AssistantName TEXT;
ALTER TABLE contact ADD COLUMN AssistantPhone TEXT;
ALTER TABLE lead ADD COLUMN Fax TEXT;
ALTER TABLE opportunity ADD COLUMN IsPrivate INTEGER;
ALTER TABLE opportunity ADD COLUMN TotalOpportunityQuantity REAL;
ALTER TABLE task ADD COLUMN CallDurationInSeconds INTEGER;
ALTER TABLE task ADD COLUMN CallType TEXT;
ALTER TABLE task ADD COLUMN CallDisposition TEXT;
ALTER TABLE task ADD COLUMN ReminderDateTime TEXT;
ALTER TABLE task ADD COLUMN IsReminderSet INTEGER;
ALTER TABLE event ADD COLUMN ShowAs TEXT;
ALTER TABLE event ADD COLUMN IsPrivate INTEGER;
