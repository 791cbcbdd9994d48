-- The transactional outbox every stateful service relays to Kafka (service-kit's OutboxRelay).
CREATE TABLE IF NOT EXISTS outbox_event (
    id          varchar(64) PRIMARY KEY,
    topic       varchar(255) NOT NULL,
    record_key  varchar(512) NOT NULL,
    payload     text         NOT NULL,
    created_at  timestamptz  NOT NULL,
    sent_at     timestamptz,
    attempts    integer      NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX IF NOT EXISTS outbox_event_pending ON outbox_event (created_at, id) WHERE sent_at IS NULL;
