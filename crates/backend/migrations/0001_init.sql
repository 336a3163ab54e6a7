-- Schema of the reference backend. Times are unix seconds (UTC); secrets are stored as SHA-256 hex where the
-- plain value is not needed again.

-- SMS codes sent. Only the newest unused code of a number can be verified.
CREATE TABLE sms_codes (
    id          INTEGER PRIMARY KEY,
    phone       TEXT    NOT NULL,
    client_ip   TEXT    NOT NULL,
    code_hash   TEXT    NOT NULL,  -- sha256(id || ':' || code)
    dev_code    TEXT,              -- the plain code, kept in development mode only
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    used_at     INTEGER,
    superseded  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sms_codes_by_phone ON sms_codes (phone, created_at);
CREATE INDEX sms_codes_by_ip ON sms_codes (client_ip, created_at);

-- Proof that a number received a code: the bearer credential of uploads and submission.
CREATE TABLE verification_tokens (
    token_hash  TEXT    PRIMARY KEY,
    phone       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- Uploaded images; the bytes are in uploads/<file_name>.
CREATE TABLE uploads (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    phone       TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    format      TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX uploads_by_phone ON uploads (phone, created_at);

-- Scored attempts at the built-in quiz.
CREATE TABLE quiz_attempts (
    id            TEXT    PRIMARY KEY,
    client_ip     TEXT    NOT NULL,
    quiz_version  TEXT    NOT NULL,
    answers_json  TEXT    NOT NULL,
    score         INTEGER NOT NULL,
    max_score     INTEGER NOT NULL,
    passed        INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX quiz_attempts_by_ip ON quiz_attempts (client_ip, created_at);

-- Applications, one row each, with everything the investor submitted (password only as an Argon2id hash).
CREATE TABLE applications (
    reference            TEXT    PRIMARY KEY,
    status_token         TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    quiz_mode            TEXT    NOT NULL,
    quiz_attempt_id      TEXT,
    quiz_score           INTEGER,
    name                 TEXT    NOT NULL,
    document_type        TEXT    NOT NULL,
    document_number      TEXT    NOT NULL,
    phone                TEXT    NOT NULL,
    username             TEXT    NOT NULL,
    password_hash        TEXT    NOT NULL,
    address              TEXT,
    email                TEXT    NOT NULL,
    id_front             TEXT    NOT NULL,
    id_back              TEXT    NOT NULL,
    asset_proofs_json    TEXT    NOT NULL,
    agreements_json      TEXT    NOT NULL,
    consent_json         TEXT    NOT NULL,
    locale               TEXT    NOT NULL,
    account_number       TEXT,
    returned_reason      TEXT,
    returned_step        TEXT,
    client_ip            TEXT    NOT NULL,
    idempotency_key      TEXT    NOT NULL UNIQUE,
    request_fingerprint  TEXT    NOT NULL,  -- sha256 of the canonical request body without the password
    submitted_at         INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX applications_by_document ON applications (document_number, status);
CREATE INDEX applications_by_username ON applications (username COLLATE NOCASE);
CREATE INDEX applications_by_ip ON applications (client_ip, submitted_at);
