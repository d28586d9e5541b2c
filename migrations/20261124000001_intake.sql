-- The intake foundation: jurisdictions, zones, departments, categories, routing rules,
-- incidents with private reporter contact, photos and the append-only event log.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE jurisdictions (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]+$'),
    name        text NOT NULL,
    timezone    text NOT NULL DEFAULT 'Europe/Bucharest',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE zones (
    id              bigserial PRIMARY KEY,
    jurisdiction_id text NOT NULL REFERENCES jurisdictions (id),
    code            text NOT NULL,
    name            text NOT NULL,
    geom            geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT zones_code_key UNIQUE (jurisdiction_id, code)
);
CREATE INDEX zones_geom_idx ON zones USING gist (geom);

CREATE TABLE departments (
    id              bigserial PRIMARY KEY,
    jurisdiction_id text NOT NULL REFERENCES jurisdictions (id),
    code            text NOT NULL,
    name_ro         text NOT NULL,
    name_hu         text NOT NULL,
    name_en         text NOT NULL,
    email           text,
    CONSTRAINT departments_code_key UNIQUE (jurisdiction_id, code)
);

CREATE TABLE category_groups (
    id              bigserial PRIMARY KEY,
    jurisdiction_id text NOT NULL REFERENCES jurisdictions (id),
    code            text NOT NULL,
    name_ro         text NOT NULL,
    name_hu         text NOT NULL,
    name_en         text NOT NULL,
    CONSTRAINT category_groups_code_key UNIQUE (jurisdiction_id, code)
);

CREATE TABLE categories (
    id                  bigserial PRIMARY KEY,
    jurisdiction_id     text NOT NULL REFERENCES jurisdictions (id),
    code                text NOT NULL,
    group_id            bigint NOT NULL REFERENCES category_groups (id),
    icon                text NOT NULL,
    name_ro             text NOT NULL,
    name_hu             text NOT NULL,
    name_en             text NOT NULL,
    description_ro      text NOT NULL DEFAULT '',
    description_hu      text NOT NULL DEFAULT '',
    description_en      text NOT NULL DEFAULT '',
    sla_acknowledge_hours integer NOT NULL CHECK (sla_acknowledge_hours > 0),
    sla_resolve_hours   integer NOT NULL CHECK (sla_resolve_hours >= sla_acknowledge_hours),
    default_priority    text NOT NULL DEFAULT 'normal'
                        CHECK (default_priority IN ('low', 'normal', 'high', 'urgent')),
    -- Extra attributes a report may carry (Open311 service definition), as JSON.
    attributes          jsonb NOT NULL DEFAULT '[]',
    active              boolean NOT NULL DEFAULT true,
    CONSTRAINT categories_code_key UNIQUE (jurisdiction_id, code)
);

-- category × zone → department. A rule without zone is the category's default, a rule
-- without category is the zone's default, a rule without both is the jurisdiction's default.
CREATE TABLE routing_rules (
    id              bigserial PRIMARY KEY,
    jurisdiction_id text NOT NULL REFERENCES jurisdictions (id),
    category_id     bigint REFERENCES categories (id) ON DELETE CASCADE,
    zone_id         bigint REFERENCES zones (id) ON DELETE CASCADE,
    department_id   bigint NOT NULL REFERENCES departments (id)
);
CREATE UNIQUE INDEX routing_rules_scope_key
    ON routing_rules (jurisdiction_id, coalesce(category_id, 0), coalesce(zone_id, 0));

CREATE TABLE incidents (
    id                  uuid PRIMARY KEY,
    tracking_number     text NOT NULL,
    jurisdiction_id     text NOT NULL REFERENCES jurisdictions (id),
    category_id         bigint NOT NULL REFERENCES categories (id),
    zone_id             bigint NOT NULL REFERENCES zones (id),
    department_id       bigint NOT NULL REFERENCES departments (id),
    status              text NOT NULL DEFAULT 'new' CHECK (status IN
                        ('new', 'acknowledged', 'assigned', 'in_progress', 'resolved', 'closed',
                         'rejected', 'duplicate', 'referred', 'reopened')),
    priority            text NOT NULL DEFAULT 'normal'
                        CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    location            geometry(Point, 4326) NOT NULL,
    description         text NOT NULL DEFAULT '',
    attributes          jsonb NOT NULL DEFAULT '{}',
    locale              text NOT NULL DEFAULT 'ro' CHECK (locale IN ('ro', 'hu', 'en')),
    source              text NOT NULL CHECK (source IN ('web', 'api', 'open311', 'phone', 'staff')),
    idempotency_key     text,
    -- Hash of the submitted request, so a reused idempotency key with other content is refused.
    request_fingerprint text,
    acknowledge_due_at  timestamptz NOT NULL,
    resolve_due_at      timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT incidents_tracking_number_key UNIQUE (tracking_number),
    CONSTRAINT incidents_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX incidents_location_idx ON incidents USING gist (location);
CREATE INDEX incidents_created_idx ON incidents (created_at DESC, id DESC);
CREATE INDEX incidents_open_idx ON incidents (status) WHERE status NOT IN ('closed', 'rejected', 'duplicate', 'referred');

-- The reporter's contact lives apart from the incident: public queries never join this table.
CREATE TABLE incident_reporters (
    incident_id uuid PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    name        text,
    email       text,
    phone       text
);

CREATE TABLE photos (
    id              uuid PRIMARY KEY,
    incident_id     uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position        smallint NOT NULL,
    -- sha256 of the uploaded bytes; the original itself is not kept (it carries EXIF).
    original_sha256 text NOT NULL,
    original_format text NOT NULL CHECK (original_format IN ('jpeg', 'png', 'webp')),
    width           integer NOT NULL,
    height          integer NOT NULL,
    thumb_key       text NOT NULL,
    display_key     text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT photos_position_key UNIQUE (incident_id, position)
);

-- Append-only audit log: every change to an incident writes one row in the same transaction.
CREATE TABLE incident_events (
    id              bigserial PRIMARY KEY,
    incident_id     uuid NOT NULL REFERENCES incidents (id),
    kind            text NOT NULL,
    actor           text NOT NULL,
    status_from     text,
    status_to       text,
    public_text     text,
    internal_note   text,
    data            jsonb NOT NULL DEFAULT '{}',
    is_public       boolean NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, id);

CREATE FUNCTION incident_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident_events is append-only';
END $$;
CREATE TRIGGER incident_events_no_update BEFORE UPDATE OR DELETE ON incident_events
    FOR EACH ROW EXECUTE FUNCTION incident_events_append_only();
