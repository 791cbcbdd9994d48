-- Relay semantics (OutboxRelay): a sequence for per-key order independent of clocks, a per-row retry time for
-- exponential backoff, and a dead-letter time once a row has failed max-attempts times while Kafka was up.
ALTER TABLE outbox_event ADD COLUMN seq bigserial;
ALTER TABLE outbox_event ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE outbox_event ADD COLUMN dead_at timestamptz;
DROP INDEX IF EXISTS outbox_event_pending;
CREATE INDEX outbox_event_pending ON outbox_event (seq) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_event_pending_key ON outbox_event (topic, record_key, seq) WHERE sent_at IS NULL AND dead_at IS NULL;
