-- An adapter version trained on a dataset version that was deleted while its job ran (the job's lineage says when):
-- kept and served, but never promoted to champion.
ALTER TABLE adapter_version ADD COLUMN dataset_deleted_at timestamptz;
