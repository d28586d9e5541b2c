-- The address gazetteer: street addresses with a point each, so a report that names its
-- place only in words (Open311 `address_string`) can still be put on the map.
CREATE TABLE addresses (
    id              bigserial PRIMARY KEY,
    jurisdiction_id text NOT NULL REFERENCES jurisdictions (id),
    street          text NOT NULL,
    housenumber     text NOT NULL,
    -- Kind of street, street and number folded for lookup (see domain/address.rs): no case,
    -- no diacritics, one word per kind, so "Str. Mihai Viteazu nr. 5" finds "Strada Mihai
    -- Viteazu 5" and "Piața Unirii 3" does not find "Strada Unirii 3".
    lookup_key      text NOT NULL,
    -- The same without the kind, for an address written without one.
    untyped_key     text NOT NULL,
    location        geometry(Point, 4326) NOT NULL,
    CONSTRAINT addresses_lookup_key UNIQUE (jurisdiction_id, lookup_key)
);
CREATE INDEX addresses_untyped_key_idx ON addresses (jurisdiction_id, untyped_key);
