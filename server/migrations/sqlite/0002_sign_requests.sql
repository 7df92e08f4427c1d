-- Push-approved signing requests: relying parties, citizens' devices, the requests. Same shape as the
-- PostgreSQL set.

-- Services allowed to ask citizens to sign. The API key is kept as its SHA-256 (hex); the callback secret
-- must sign callbacks, so it is kept as is (never logged). `callback_hosts` is a JSON array of host names.
CREATE TABLE relying_parties (
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    api_key_hash TEXT NOT NULL,
    callback_secret TEXT NOT NULL,
    callback_hosts TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT relying_parties_pkey PRIMARY KEY (id),
    CONSTRAINT relying_parties_name_key UNIQUE (name),
    CONSTRAINT relying_parties_api_key_hash_key UNIQUE (api_key_hash)
);

-- Citizens' phones, registered with an AUTH key; the token is kept as its SHA-256 (hex).
CREATE TABLE devices (
    id TEXT NOT NULL,
    iin TEXT NOT NULL,
    auth_serial TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    platform TEXT,
    push_token TEXT,
    created_at BIGINT NOT NULL,
    CONSTRAINT devices_pkey PRIMARY KEY (id),
    CONSTRAINT devices_token_hash_key UNIQUE (token_hash),
    CONSTRAINT devices_auth_serial_fkey FOREIGN KEY (auth_serial) REFERENCES certificates (serial)
);
CREATE INDEX devices_iin_idx ON devices (iin);

-- Signing requests; at most one pending per citizen.
CREATE TABLE sign_requests (
    id TEXT NOT NULL,
    relying_party_id TEXT NOT NULL,
    iin TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT sign_requests_status_check
        CHECK (status IN ('pending', 'signed', 'refused', 'expired', 'cancelled')),
    format TEXT NOT NULL CONSTRAINT sign_requests_format_check CHECK (format IN ('attached', 'detached')),
    data BLOB,
    digest BLOB NOT NULL,
    display_text TEXT NOT NULL,
    verification_code TEXT NOT NULL,
    callback_url TEXT,
    signature BLOB,
    signer_serial TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    finished_at BIGINT,
    CONSTRAINT sign_requests_pkey PRIMARY KEY (id),
    CONSTRAINT sign_requests_relying_party_id_fkey FOREIGN KEY (relying_party_id) REFERENCES relying_parties (id)
);
CREATE UNIQUE INDEX sign_requests_iin_key ON sign_requests (iin) WHERE status = 'pending';
CREATE INDEX sign_requests_status_idx ON sign_requests (status, expires_at);
