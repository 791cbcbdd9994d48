-- Warm starts (issue 21): the adapter version a job or a policy's jobs start from, as JSON (jobs/InitFrom).
ALTER TABLE fine_tuning_job ADD COLUMN init_from text;
ALTER TABLE retraining_policy ADD COLUMN init_from text;

-- Each adapter's champion as the registry announced it (adapter.promoted on peftflow.adapter-events): what
-- init_from {"alias": "champion"} resolves to. move orders the announcements; a late older one changes nothing.
CREATE TABLE adapter_champion (
    tenant   varchar(63)  NOT NULL,
    adapter  varchar(128) NOT NULL,
    version  integer      NOT NULL,
    move     bigint       NOT NULL,
    PRIMARY KEY (tenant, adapter)
);
