-- Datasets and their immutable versions. A version row is invisible while PROCESSING (objects being
-- stored) and becomes READY in the transaction that also writes its outbox event.
CREATE TABLE dataset (
    id                  bigserial PRIMARY KEY,
    tenant              varchar(63)      NOT NULL,
    name                varchar(63)      NOT NULL,
    -- Fixed by the first version so that every version splits identically (no validation example in train).
    split_seed          bigint           NOT NULL,
    validation_fraction double precision NOT NULL,
    created_at          timestamptz      NOT NULL,
    CONSTRAINT dataset_tenant_name UNIQUE (tenant, name)
);

CREATE TABLE dataset_version (
    id                  bigserial PRIMARY KEY,
    dataset_id          bigint       NOT NULL REFERENCES dataset (id),
    version             integer      NOT NULL,
    status              varchar(16)  NOT NULL CHECK (status IN ('PROCESSING', 'READY', 'FAILED', 'DELETED')),
    format              varchar(32),
    balance             varchar(16)  NOT NULL,
    seed                bigint       NOT NULL,
    base_model          varchar(255),
    raw_key             varchar(512) NOT NULL,
    raw_bytes           bigint,
    raw_sha256          char(64),
    train_sha256        char(64),
    validation_sha256   char(64),
    report_sha256       char(64),
    lines               bigint,
    invalid_lines       bigint,
    train_examples      bigint,
    validation_examples bigint,
    label_counts        jsonb,
    summary             jsonb,
    created_at          timestamptz  NOT NULL,
    ready_at            timestamptz,
    deleted_at          timestamptz,
    -- Two concurrent uploads can never share a number (they also serialise on the dataset row's lock).
    CONSTRAINT dataset_version_number UNIQUE (dataset_id, version)
);
CREATE INDEX dataset_version_status ON dataset_version (status, created_at);
