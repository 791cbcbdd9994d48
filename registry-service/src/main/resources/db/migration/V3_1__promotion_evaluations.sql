-- Like-for-like promotion (registry-service/README.md, "Promotion"): the policy's pinned evaluation set and paired
-- bootstrap; each challenger's decision with the set both versions were measured on; the evaluation jobs requested
-- from trainer-service and their answers.
ALTER TABLE adapter ADD COLUMN policy_evaluation_dataset varchar(63);
ALTER TABLE adapter ADD COLUMN policy_evaluation_version integer;
ALTER TABLE adapter ADD COLUMN policy_bootstrap_samples integer;
ALTER TABLE adapter ADD COLUMN policy_bootstrap_confidence double precision;
ALTER TABLE adapter ADD COLUMN policy_bootstrap_seed bigint;

-- The version a warm-started version's training loaded (JobSucceeded.Lineage.parent): compare shows the chain.
ALTER TABLE version_lineage ADD COLUMN parent_adapter varchar(128);
ALTER TABLE version_lineage ADD COLUMN parent_version integer;

-- Promoter.Measured: the set, both numbers, the difference and the interval.
ALTER TABLE adapter_version ADD COLUMN decision jsonb;

CREATE TABLE promotion_evaluation (
    id                 bigserial    PRIMARY KEY,
    tenant             varchar(63)  NOT NULL,
    adapter_id         bigint       NOT NULL REFERENCES adapter (id),
    challenger_version integer      NOT NULL,
    champion_version   integer      NOT NULL,
    request_id         varchar(255) NOT NULL,
    -- trainer-service's job id of the request (JobIds.of): its events name it.
    job_id             varchar(40)  NOT NULL,
    dataset_name       varchar(63)  NOT NULL,
    dataset_version    integer      NOT NULL,
    status             varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
    -- The EvaluationSucceeded payload.
    result             jsonb,
    failure_reason     text,
    requested_at       timestamptz  NOT NULL,
    finished_at        timestamptz,
    CONSTRAINT promotion_evaluation_job UNIQUE (tenant, job_id)
);
CREATE INDEX promotion_evaluation_adapter ON promotion_evaluation (adapter_id, challenger_version);

-- The dataset versions dataset-service announced (peftflow.dataset-versions), for pinned evaluation sets: known, not
-- deleted, and not overlapping by content (their stored content hashes) the training split of a compared version.
CREATE TABLE dataset_version (
    tenant                   varchar(63)  NOT NULL,
    dataset                  varchar(63)  NOT NULL,
    version                  integer      NOT NULL,
    train_hashes_uri         varchar(512),
    train_hashes_sha256      char(64),
    validation_hashes_uri    varchar(512),
    validation_hashes_sha256 char(64),
    deleted_at               timestamptz,
    PRIMARY KEY (tenant, dataset, version)
);
