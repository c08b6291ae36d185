-- conf/schema.sql - the table of consent records (CookieConsentRecords dbd), for DBAs who create
-- it themselves (the module creates it if it is missing, with these statements; SQLite 3 and
-- PostgreSQL >= 9.5). One row per decision; times are Unix milliseconds (UTC).
CREATE TABLE IF NOT EXISTS cookieconsent_records (
    id          VARCHAR(32)  NOT NULL PRIMARY KEY,  -- the consent id (the visitor's cookie holds it)
    time_ms     BIGINT       NOT NULL,              -- when, Unix milliseconds UTC
    vhost       VARCHAR(255) NOT NULL,              -- ServerName of the virtual host
    action      VARCHAR(16)  NOT NULL,              -- accept-all, reject-all, save, withdraw, allow
    accepted    TEXT         NOT NULL,              -- category names, space-separated
    refused     TEXT         NOT NULL,
    source      VARCHAR(16)  NOT NULL,              -- banner, settings, api, placeholder
    fingerprint VARCHAR(16)  NOT NULL,              -- of the cookie declarations
    texts_hash  VARCHAR(64)  NOT NULL,              -- SHA-256 of the texts shown, in lang
    lang        VARCHAR(35)  NOT NULL,
    revision    TEXT,                               -- CookieConsentRevision
    address     VARCHAR(45),                        -- per CookieConsentRecordsAddress
    user_agent  TEXT,                               -- first 256 bytes
    previous_id VARCHAR(32)                         -- the decision this one replaced
);
CREATE INDEX IF NOT EXISTS cookieconsent_records_time ON cookieconsent_records (time_ms);
CREATE INDEX IF NOT EXISTS cookieconsent_records_previous ON cookieconsent_records (previous_id);

-- The web server's database user needs no more than:
--   GRANT SELECT, INSERT, DELETE ON cookieconsent_records TO apache;

-- "Prove consent id X": the decision, what replaced it, and what it replaced.
--   SELECT * FROM cookieconsent_records
--    WHERE id = 'X' OR previous_id = 'X'
--       OR id = (SELECT previous_id FROM cookieconsent_records WHERE id = 'X')
--    ORDER BY time_ms;
