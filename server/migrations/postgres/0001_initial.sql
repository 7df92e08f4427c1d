-- Qoltanba reference RA/CA: the whole schema (PostgreSQL). The SQLite set has the same shape.
-- Conventions: times are BIGINT unix seconds (UTC); UUIDs are lower-case hyphenated TEXT; bytes are BYTEA;
-- enumerations are TEXT with a CHECK; constraints are named as PostgreSQL would name them by default.

-- Population registry (embedded stand-in).
CREATE TABLE citizens (
    iin TEXT NOT NULL,
    surname TEXT NOT NULL,
    name TEXT NOT NULL,
    patronymic TEXT,
    birth_date TEXT NOT NULL, -- YYYY-MM-DD
    photo BYTEA NOT NULL,
    photo_content_type TEXT NOT NULL,
    CONSTRAINT citizens_pkey PRIMARY KEY (iin)
);

-- Mobile-citizens database (embedded stand-in): IIN -> registered phone.
CREATE TABLE mobile_phones (
    iin TEXT NOT NULL,
    phone TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    registered_by TEXT NOT NULL,
    CONSTRAINT mobile_phones_pkey PRIMARY KEY (iin),
    CONSTRAINT mobile_phones_iin_fkey FOREIGN KEY (iin) REFERENCES citizens (iin)
);

-- SMS gateway (embedded stand-in): the outbox.
CREATE TABLE sms_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone TEXT NOT NULL,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sms_outbox_phone_idx ON sms_outbox (phone, id);

-- Enrollment sessions; `state` is the RA's JSON, `version` guards compare-and-swap updates.
CREATE TABLE enrollment_sessions (
    id TEXT NOT NULL,
    iin TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT enrollment_sessions_pkey PRIMARY KEY (id)
);
CREATE INDEX enrollment_sessions_iin_idx ON enrollment_sessions (iin);

-- The current SMS code of a session (replaced on resend).
CREATE TABLE sms_codes (
    session_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    tries_left BIGINT NOT NULL,
    CONSTRAINT sms_codes_pkey PRIMARY KEY (session_id),
    CONSTRAINT sms_codes_session_id_fkey FOREIGN KEY (session_id) REFERENCES enrollment_sessions (id)
);

-- Pictures uploaded by citizens.
CREATE TABLE uploads (
    id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT uploads_kind_check CHECK (kind IN ('selfie', 'id_card')),
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT uploads_pkey PRIMARY KEY (id),
    CONSTRAINT uploads_session_id_fkey FOREIGN KEY (session_id) REFERENCES enrollment_sessions (id)
);
CREATE INDEX uploads_session_id_idx ON uploads (session_id);

-- Selfies waiting for (or given) the operator's face comparison.
CREATE TABLE selfie_reviews (
    id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    attempt BIGINT NOT NULL,
    status TEXT NOT NULL CONSTRAINT selfie_reviews_status_check
        CHECK (status IN ('pending', 'accepted', 'rejected')),
    operator TEXT,
    reason TEXT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    CONSTRAINT selfie_reviews_pkey PRIMARY KEY (id),
    CONSTRAINT selfie_reviews_session_id_attempt_key UNIQUE (session_id, attempt),
    CONSTRAINT selfie_reviews_session_id_fkey FOREIGN KEY (session_id) REFERENCES enrollment_sessions (id),
    CONSTRAINT selfie_reviews_upload_id_fkey FOREIGN KEY (upload_id) REFERENCES uploads (id)
);
CREATE INDEX selfie_reviews_status_idx ON selfie_reviews (status, created_at);

-- Phone-registration tickets for citizens without a registered phone.
CREATE TABLE phone_tickets (
    id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    iin TEXT NOT NULL,
    phone TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT phone_tickets_status_check
        CHECK (status IN ('pending', 'approved', 'rejected')),
    operator TEXT,
    reason TEXT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    CONSTRAINT phone_tickets_pkey PRIMARY KEY (id),
    CONSTRAINT phone_tickets_session_id_fkey FOREIGN KEY (session_id) REFERENCES enrollment_sessions (id)
);
CREATE INDEX phone_tickets_status_idx ON phone_tickets (status, created_at);

-- Idempotency keys of POST requests and the responses given.
CREATE TABLE idempotency_records (
    key TEXT NOT NULL,
    route TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status BIGINT,
    response_content_type TEXT,
    response_body BYTEA,
    created_at BIGINT NOT NULL,
    completed_at BIGINT,
    CONSTRAINT idempotency_records_pkey PRIMARY KEY (key)
);
CREATE INDEX idempotency_records_created_at_idx ON idempotency_records (created_at);

-- Issued certificates.
CREATE TABLE certificates (
    serial TEXT NOT NULL,
    iin TEXT NOT NULL,
    purpose TEXT NOT NULL CONSTRAINT certificates_purpose_check CHECK (purpose IN ('auth', 'sign')),
    session_id TEXT,
    not_before BIGINT NOT NULL,
    not_after BIGINT NOT NULL,
    der BYTEA NOT NULL,
    status TEXT NOT NULL CONSTRAINT certificates_status_check CHECK (status IN ('good', 'revoked')),
    revoked_at BIGINT,
    revocation_reason TEXT,
    created_at BIGINT NOT NULL,
    CONSTRAINT certificates_pkey PRIMARY KEY (serial),
    CONSTRAINT certificates_session_id_purpose_key UNIQUE (session_id, purpose),
    CONSTRAINT certificates_session_id_fkey FOREIGN KEY (session_id) REFERENCES enrollment_sessions (id)
);
CREATE INDEX certificates_iin_idx ON certificates (iin);

-- The CA's own certificates and where their keys live.
CREATE TABLE ca_records (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    role TEXT NOT NULL CONSTRAINT ca_records_role_check CHECK (role IN ('root', 'issuing')),
    certificate_der BYTEA NOT NULL,
    key_reference TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- CRL numbers: strictly increasing, never reused; the CRL itself once signed.
CREATE TABLE crl_numbers (
    number BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at BIGINT NOT NULL,
    der BYTEA
);

-- Operators of the console and their login sessions.
CREATE TABLE operators (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT operators_username_key UNIQUE (username)
);

CREATE TABLE operator_sessions (
    token_hash TEXT NOT NULL,
    operator_id BIGINT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT operator_sessions_pkey PRIMARY KEY (token_hash),
    CONSTRAINT operator_sessions_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES operators (id)
        ON DELETE CASCADE
);

-- Append-only audit log of every RA/CA decision.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
