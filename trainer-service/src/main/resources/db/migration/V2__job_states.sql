-- Job state machine (JobTransitions): 'TRAINED' is "trained, registration pending" until registry-service answers
-- on peftflow.adapter-events; the job then ends 'SUCCEEDED' (registered_version set) or 'FAILED'.
ALTER TABLE fine_tuning_job DROP CONSTRAINT fine_tuning_job_status_check;
ALTER TABLE fine_tuning_job ADD CONSTRAINT fine_tuning_job_status_check CHECK (status IN ('VALIDATING_FILES', 'QUEUED',
    'RUNNING', 'CANCEL_REQUESTED', 'TRAINED', 'SUCCEEDED', 'FAILED', 'CANCELLED'));
-- What a job does: trains an adapter, or (the retraining policy's, not created yet) evaluates a registered version.
ALTER TABLE fine_tuning_job ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'TRAINING'
    CHECK (kind IN ('TRAINING', 'EVALUATION'));
ALTER TABLE fine_tuning_job ADD COLUMN registered_version integer;
ALTER TABLE fine_tuning_job ALTER COLUMN error_kind TYPE varchar(24);

-- The jobs a worker may claim, defined once: queued ones past their debounce, and running ones whose worker died
-- (lease expired; they resume from their last checkpoint). JobQueue.claim locks its rows through it (FOR UPDATE
-- SKIP LOCKED applies to the table under a simple view) and the workers' KEDA trigger in k8s/ counts it.
CREATE VIEW claimable_job AS
    SELECT id, seq, tenant, status, not_before, lease_expires_at FROM fine_tuning_job
    WHERE (status = 'QUEUED' AND not_before <= now())
       OR (status IN ('RUNNING', 'CANCEL_REQUESTED') AND lease_expires_at < now());

-- Deleted stays deleted: dataset-service's dataset.version-deleted marks the version; no new job or "latest" uses
-- it, and the jobs waiting on it fail.
ALTER TABLE dataset_version ADD COLUMN deleted_at timestamptz;
