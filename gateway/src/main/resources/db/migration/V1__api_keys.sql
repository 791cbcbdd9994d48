-- API keys of the tenants. Only the SHA-256 of a key is stored: the key itself is shown once, at creation.
CREATE TABLE api_key (
    id                  varchar(36)  PRIMARY KEY,
    tenant              varchar(63)  NOT NULL,
    name                varchar(200) NOT NULL,
    -- The key's first characters, so a person can tell keys apart in a listing.
    prefix              varchar(16)  NOT NULL,
    key_hash            char(64)     NOT NULL UNIQUE,
    requests_per_minute integer      NOT NULL,
    burst               integer      NOT NULL,
    created_at          timestamptz  NOT NULL,
    revoked_at          timestamptz
);
CREATE INDEX api_key_tenant ON api_key (tenant, created_at);
