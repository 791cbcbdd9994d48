-- stack_on (trainer-service/README.md, "Stacked adapters"): the registered versions a job trains its adapter on top
-- of, frozen, bottom first, as JSON (jobs/StackOn): as requested, and once resolved with each version and its job.
ALTER TABLE fine_tuning_job ADD COLUMN stack_on text;
ALTER TABLE retraining_policy ADD COLUMN stack_on text;

-- Versions the registry archived (adapter.version-archived): never loaded by a new job (init_from, stack_on).
CREATE TABLE adapter_archived (
    tenant   varchar(63)  NOT NULL,
    adapter  varchar(128) NOT NULL,
    version  integer      NOT NULL,
    PRIMARY KEY (tenant, adapter, version)
);
