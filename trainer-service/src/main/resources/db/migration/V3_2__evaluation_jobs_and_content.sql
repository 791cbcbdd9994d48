-- Evaluation jobs (kind EVALUATION): registry-service's request to measure registered versions on one evaluation set,
-- kept as the EvaluationRequested JSON; their answer is the training.evaluation-succeeded event.
ALTER TABLE fine_tuning_job ADD COLUMN evaluation_request text;

-- Each dataset version's sorted content hashes (dataset-service stores them beside the splits): a policy counts new
-- and dropped examples by content. Null for versions announced without them.
ALTER TABLE dataset_version ADD COLUMN train_hashes_uri varchar(512);
ALTER TABLE dataset_version ADD COLUMN train_hashes_sha256 char(64);
ALTER TABLE dataset_version ADD COLUMN validation_hashes_uri varchar(512);
ALTER TABLE dataset_version ADD COLUMN validation_hashes_sha256 char(64);
-- A policy job's data change against the version the policy last trained on (JobQueued.DataChange).
ALTER TABLE fine_tuning_job ADD COLUMN new_data text;
