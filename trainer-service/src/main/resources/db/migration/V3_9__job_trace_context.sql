-- The W3C trace context of the span that queued the job (a request, a consumed dataset version or training request):
-- the worker trains it as a child of that span, so the trace goes on from upload to registered adapter.
ALTER TABLE fine_tuning_job ADD COLUMN traceparent varchar(55);
ALTER TABLE fine_tuning_job ADD COLUMN tracestate text;
