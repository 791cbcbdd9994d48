-- The request behind an event (correlation id, W3C trace context), relayed as Kafka record headers.
ALTER TABLE outbox_event ADD COLUMN request_id varchar(128);
ALTER TABLE outbox_event ADD COLUMN traceparent varchar(55);
ALTER TABLE outbox_event ADD COLUMN tracestate text;
