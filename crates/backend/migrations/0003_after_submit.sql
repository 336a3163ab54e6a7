-- The application's life after submit: status tokens as hashes (one per device), the fee receipt, the file names
-- investors uploaded with, resubmissions of returned applications, status lookups, the audit of every status
-- change and the messages the exchange sends about them.
--
-- `sha256_hex(text)` is a function the backend registers on its connection before migrating.

-- Status tokens: `X-Status-Token` reads the status, the stored answers, takes the fee receipt and a resubmission.
-- One per submission and one per status lookup (a new device); stored only as SHA-256 of the token.
CREATE TABLE status_tokens (
    token_hash  TEXT    PRIMARY KEY,
    reference   TEXT    NOT NULL REFERENCES applications (reference),
    created_at  INTEGER NOT NULL
);
CREATE INDEX status_tokens_by_reference ON status_tokens (reference);

INSERT INTO status_tokens (token_hash, reference, created_at)
    SELECT sha256_hex(status_token), reference, submitted_at FROM applications;
ALTER TABLE applications DROP COLUMN status_token;

-- The upload of kind `fee_receipt` the investor sent last (NULL: none, or sent by e-mail).
ALTER TABLE applications ADD COLUMN fee_receipt TEXT;

-- The file name the investor uploaded the image with (control characters and path separators removed, at most
-- 100 characters); NULL for images stored before it was kept, or sent without one.
ALTER TABLE uploads ADD COLUMN original_name TEXT;

-- A returned application sent again (`PUT /applications/{reference}`), under its own Idempotency-Key.
CREATE TABLE resubmissions (
    idempotency_key      TEXT    PRIMARY KEY,
    reference            TEXT    NOT NULL REFERENCES applications (reference),
    request_fingerprint  TEXT    NOT NULL,  -- as for applications: the canonical body without the password
    password_hash        TEXT    NOT NULL,  -- Argon2id, compared on a retry
    phone                TEXT    NOT NULL,
    created_at           INTEGER NOT NULL
);

-- Status lookups by reference, number and SMS code (`POST /applications/lookup`), counted per client address.
CREATE TABLE status_lookups (
    id          INTEGER PRIMARY KEY,
    client_ip   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX status_lookups_by_ip ON status_lookups (client_ip, created_at);

-- Every status an application has been in: who moved it (`investor`, `dev`, or the operator's name), from what,
-- and why. The first row of an application is its submission (from_status NULL).
CREATE TABLE status_audit (
    id           INTEGER PRIMARY KEY,
    reference    TEXT    NOT NULL REFERENCES applications (reference),
    from_status  TEXT,
    to_status    TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    reason       TEXT,              -- with `returned`
    step         TEXT,              -- with `returned`, when named
    at           INTEGER NOT NULL
);
CREATE INDEX status_audit_by_reference ON status_audit (reference, id);

-- What applications stored before the audit went through is not known: their submission, and the status they
-- are in now (actor `unrecorded`).
INSERT INTO status_audit (reference, from_status, to_status, actor, at)
    SELECT reference, NULL, 'submitted', 'investor', submitted_at FROM applications;
INSERT INTO status_audit (reference, from_status, to_status, actor, reason, step, at)
    SELECT reference, NULL, status, 'unrecorded', returned_reason, returned_step, updated_at
    FROM applications WHERE status <> 'submitted';

-- Messages the exchange sends the investor (e-mail and SMS), queued with the status change that causes them.
-- The reference backend never sends: a delivery worker with the exchange's gateways sends the rows whose sent_at
-- is NULL and sets it (see src/notify.rs).
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    reference   TEXT    NOT NULL REFERENCES applications (reference),
    channel     TEXT    NOT NULL,   -- email | sms
    recipient   TEXT    NOT NULL,   -- the e-mail address or the mobile number
    subject     TEXT,               -- e-mail only
    body        TEXT    NOT NULL,
    status      TEXT    NOT NULL,   -- the application status the message announces
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
);
CREATE INDEX outbox_by_reference ON outbox (reference, id);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
