-- What binds a quiz attempt, spends a verification token and attaches an upload; the rows of the rate limits
-- that no other table records; indexes for the new limits and for the purge.

-- The verified number of the first submission that quoted the attempt (the attempt then opens an application
-- for that number only), and the application it opened (an attempt opens one).
ALTER TABLE quiz_attempts ADD COLUMN phone TEXT;
ALTER TABLE quiz_attempts ADD COLUMN used_by TEXT;
CREATE INDEX quiz_attempts_by_time ON quiz_attempts (created_at);

-- The stored application that quotes the upload (the purge deletes uploads no application quotes), and whether
-- the picture could not be decoded for a thumbnail (it is not tried again).
ALTER TABLE uploads ADD COLUMN application TEXT;
ALTER TABLE uploads ADD COLUMN thumbnail_failed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX uploads_unattached ON uploads (created_at) WHERE application IS NULL;

-- The application the token submitted: from then on it only replays that submission.
ALTER TABLE verification_tokens ADD COLUMN spent_on TEXT;
CREATE INDEX verification_tokens_by_expiry ON verification_tokens (expires_at);

-- The hourly SMS budget counts every code sent.
CREATE INDEX sms_codes_by_time ON sms_codes (created_at);

-- Wrong SMS codes tried, per number (a daily cap).
CREATE TABLE wrong_sms_codes (
    id        INTEGER PRIMARY KEY,
    phone     TEXT    NOT NULL,
    tried_at  INTEGER NOT NULL
);
CREATE INDEX wrong_sms_codes_by_phone ON wrong_sms_codes (phone, tried_at);

-- Username availability checks, per client address.
CREATE TABLE username_checks (
    id          INTEGER PRIMARY KEY,
    client_ip   TEXT    NOT NULL,
    checked_at  INTEGER NOT NULL
);
CREATE INDEX username_checks_by_ip ON username_checks (client_ip, checked_at);

-- Submissions answered from an earlier one with the same Idempotency-Key, per client address.
CREATE TABLE submission_replays (
    id           INTEGER PRIMARY KEY,
    client_ip    TEXT    NOT NULL,
    replayed_at  INTEGER NOT NULL
);
CREATE INDEX submission_replays_by_ip ON submission_replays (client_ip, replayed_at);

-- Submissions refused because the document number has an application under review, per client address: they
-- count toward the submission limit, so that the refusal cannot be used to probe document numbers.
CREATE TABLE duplicate_refusals (
    id          INTEGER PRIMARY KEY,
    client_ip   TEXT    NOT NULL,
    refused_at  INTEGER NOT NULL
);
CREATE INDEX duplicate_refusals_by_ip ON duplicate_refusals (client_ip, refused_at);

-- What the submission limit counts: applications stored and duplicates refused.
CREATE VIEW submission_attempts (client_ip, at) AS
    SELECT client_ip, submitted_at FROM applications
    UNION ALL
    SELECT client_ip, refused_at FROM duplicate_refusals;
