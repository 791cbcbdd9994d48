-- Retention (OutboxRetention): sent rows older than peftflow.outbox.retention are deleted, oldest first.
CREATE INDEX IF NOT EXISTS outbox_event_sent ON outbox_event (sent_at) WHERE sent_at IS NOT NULL;
