-- Open311 GeoReport v2: the clients allowed to file requests, and what a request may carry
-- beyond the web form.

-- A client (an app, a call-centre tool, another city's back office) and its API key. Only
-- the key's SHA-256 is kept: keys are 160-bit random strings, so a slow password hash would
-- add nothing; the key is shown once, when issued.
CREATE TABLE api_clients (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL CHECK (name <> ''),
    key_sha256  text NOT NULL,
    -- The first characters of the key, so an administrator can tell keys apart.
    key_prefix  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CONSTRAINT api_clients_key_sha256_key UNIQUE (key_sha256)
);

ALTER TABLE incidents
    ADD COLUMN api_client_id bigint REFERENCES api_clients (id),
    -- Open311 `address_string` as the client sent it (public: it describes the place).
    ADD COLUMN address text,
    -- Open311 `media_url`: a picture the client hosts elsewhere.
    ADD COLUMN media_url text;

-- An idempotency key belongs to whoever sent it: each API client has its own keys, and the
-- web app and JSON API share one space.
ALTER TABLE incidents DROP CONSTRAINT incidents_idempotency_key;
CREATE UNIQUE INDEX incidents_idempotency_key ON incidents (idempotency_key)
    WHERE api_client_id IS NULL;
CREATE UNIQUE INDEX incidents_client_idempotency_key ON incidents (api_client_id, idempotency_key)
    WHERE api_client_id IS NOT NULL;

-- Identifiers of the person on the client's side: private, like the rest of the contact.
ALTER TABLE incident_reporters
    ADD COLUMN device_id text,
    ADD COLUMN account_id text;

-- Open311 windows are by creation time (requests) and by event time (updates).
CREATE INDEX incident_events_created_idx ON incident_events (created_at, id);
