-- Fine-tuning jobs and what trainer-service knows to validate them. The job table is the queue: workers claim
-- rows with SELECT ... FOR UPDATE SKIP LOCKED and hold a lease (lease_expires_at) renewed by a heartbeat.
CREATE TABLE fine_tuning_job (
    id                   varchar(40)  PRIMARY KEY,
    -- Insertion order: the list cursor and the queue's first-come order.
    seq                  bigserial    NOT NULL UNIQUE,
    tenant               varchar(63)  NOT NULL,
    -- Idempotency: the client's Idempotency-Key, a Kafka request's id or a policy's dataset version.
    request_id           varchar(255) NOT NULL,
    request_hash         char(64)     NOT NULL,
    origin               varchar(16)  NOT NULL,
    status               varchar(20)  NOT NULL CHECK (status IN ('VALIDATING_FILES', 'QUEUED', 'RUNNING',
                             'CANCEL_REQUESTED', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    adapter_name         varchar(128) NOT NULL,
    dataset_name         varchar(63)  NOT NULL,
    -- 0 until validated when a request asked for the latest version.
    dataset_version      integer      NOT NULL,
    base_model           varchar(255) NOT NULL,
    method               varchar(32)  NOT NULL,
    hyperparameters      text         NOT NULL,
    training             text         NOT NULL,
    seed                 bigint       NOT NULL,
    created_at           timestamptz  NOT NULL,
    -- A policy's debounce: not claimed before this time.
    not_before           timestamptz  NOT NULL,
    started_at           timestamptz,
    finished_at          timestamptz,
    worker_id            varchar(128),
    attempt              integer      NOT NULL DEFAULT 0,
    lease_expires_at     timestamptz,
    step                 integer      NOT NULL DEFAULT 0,
    total_steps          integer,
    train_loss           double precision,
    last_checkpoint_step integer      NOT NULL DEFAULT 0,
    error_kind           varchar(16),
    error_message        text,
    -- The JobSucceeded payload once the job succeeded (files, metrics, lineage).
    result               text,
    CONSTRAINT fine_tuning_job_request UNIQUE (tenant, request_id)
);
CREATE INDEX fine_tuning_job_claimable ON fine_tuning_job (seq) WHERE status IN ('QUEUED', 'RUNNING', 'CANCEL_REQUESTED');
CREATE INDEX fine_tuning_job_list ON fine_tuning_job (tenant, seq);

-- What /events and /stream show: the job's lifecycle, the same facts as its Kafka events.
CREATE TABLE job_event (
    seq        bigserial   PRIMARY KEY,
    job_id     varchar(40) NOT NULL REFERENCES fine_tuning_job (id),
    type       varchar(64) NOT NULL,
    level      varchar(8)  NOT NULL,
    message    text        NOT NULL,
    data       text,
    created_at timestamptz NOT NULL
);
CREATE INDEX job_event_job ON job_event (job_id, seq);

CREATE TABLE job_checkpoint (
    job_id     varchar(40)  NOT NULL REFERENCES fine_tuning_job (id),
    step       integer      NOT NULL,
    uri        varchar(512) NOT NULL,
    train_loss double precision,
    created_at timestamptz  NOT NULL,
    PRIMARY KEY (job_id, step)
);

-- Dataset versions announced on peftflow.dataset-versions: validation never calls dataset-service.
CREATE TABLE dataset_version (
    tenant            varchar(63)  NOT NULL,
    dataset           varchar(63)  NOT NULL,
    version           integer      NOT NULL,
    format            varchar(32),
    train_uri         varchar(512) NOT NULL,
    validation_uri    varchar(512) NOT NULL,
    train_sha256      char(64)     NOT NULL,
    validation_sha256 char(64)     NOT NULL,
    valid_examples    bigint       NOT NULL,
    train_examples    bigint       NOT NULL,
    validation_examples bigint     NOT NULL,
    created_at        timestamptz  NOT NULL,
    received_at       timestamptz  NOT NULL,
    PRIMARY KEY (tenant, dataset, version)
);

-- Retraining on new data: one policy per dataset.
CREATE TABLE retraining_policy (
    tenant            varchar(63)  NOT NULL,
    dataset           varchar(63)  NOT NULL,
    base_model        varchar(255) NOT NULL,
    method            varchar(32)  NOT NULL,
    hyperparameters   text         NOT NULL,
    training          text         NOT NULL,
    seed              bigint       NOT NULL,
    adapter_name      varchar(128) NOT NULL,
    min_new_examples  bigint       NOT NULL,
    debounce_seconds  integer      NOT NULL,
    -- The version whose job this policy queued last: new examples are counted from it.
    last_version      integer,
    last_valid_examples bigint,
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL,
    PRIMARY KEY (tenant, dataset)
);
