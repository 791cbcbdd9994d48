-- Adapters, their numbered versions with metrics and lineage, tags, aliases and every alias move.
CREATE TABLE adapter (
    id                        bigserial PRIMARY KEY,
    tenant                    varchar(63)      NOT NULL,
    name                      varchar(63)      NOT NULL,
    -- The last number handed out, under this row's lock: numbers are gapless and never reused.
    last_version              integer          NOT NULL DEFAULT 0,
    -- What listings show and sort by: the champion, else the latest ready version.
    headline_version_id       bigint,
    policy_metric             varchar(32)      NOT NULL,
    policy_direction          varchar(8)       NOT NULL CHECK (policy_direction IN ('higher', 'lower')),
    policy_min_improvement    double precision NOT NULL,
    policy_must_beat_majority boolean          NOT NULL,
    created_at                timestamptz      NOT NULL,
    CONSTRAINT adapter_tenant_name UNIQUE (tenant, name)
);

CREATE TABLE adapter_version (
    id                   bigserial PRIMARY KEY,
    adapter_id           bigint       NOT NULL REFERENCES adapter (id),
    tenant               varchar(63)  NOT NULL,
    version              integer      NOT NULL,
    status               varchar(24)  NOT NULL
        CHECK (status IN ('REGISTERING', 'READY', 'FAILED_REGISTRATION', 'ARCHIVED')),
    job_id               varchar(128) NOT NULL,
    method               varchar(32),
    base_model           varchar(255),
    dataset_name         varchar(63),
    dataset_version      integer,
    trainable_parameters bigint,
    steps                integer,
    size_bytes           bigint,
    -- The tuned model's metrics as columns (filtering, sorting, promotion); all of RunMetrics in metrics.
    exact_match          double precision,
    macro_exact_match    double precision,
    eval_loss            double precision,
    perplexity           double precision,
    token_accuracy       double precision,
    metrics              jsonb,
    files                jsonb,
    failure_reason       text,
    promotion_reason     text,
    created_at           timestamptz  NOT NULL,
    ready_at             timestamptz,
    archived_at          timestamptz,
    CONSTRAINT adapter_version_number UNIQUE (adapter_id, version),
    -- Registration is idempotent per training job.
    CONSTRAINT adapter_version_job UNIQUE (tenant, job_id)
);
ALTER TABLE adapter ADD CONSTRAINT adapter_headline FOREIGN KEY (headline_version_id) REFERENCES adapter_version (id);
CREATE INDEX adapter_version_browse ON adapter_version (adapter_id, status, version);

CREATE TABLE version_lineage (
    version_id          bigint PRIMARY KEY REFERENCES adapter_version (id),
    job_id              varchar(128) NOT NULL,
    dataset_name        varchar(63),
    dataset_version     integer,
    train_sha256        char(64),
    validation_sha256   char(64),
    base_model_id       varchar(255),
    base_weights_sha256 char(64),
    method_name         varchar(32),
    method_config       jsonb,
    training            jsonb,
    seed                bigint,
    libraries           jsonb
);

CREATE TABLE version_tag (
    id         bigserial PRIMARY KEY,
    version_id bigint       NOT NULL REFERENCES adapter_version (id),
    key        varchar(64)  NOT NULL,
    value      varchar(256) NOT NULL,
    created_at timestamptz  NOT NULL,
    CONSTRAINT version_tag_key UNIQUE (version_id, key)
);
CREATE INDEX version_tag_lookup ON version_tag (key, value);

CREATE TABLE adapter_alias (
    id         bigserial PRIMARY KEY,
    adapter_id bigint      NOT NULL REFERENCES adapter (id),
    alias      varchar(63) NOT NULL,
    version    integer     NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT adapter_alias_name UNIQUE (adapter_id, alias)
);

CREATE TABLE alias_move (
    id           bigserial PRIMARY KEY,
    adapter_id   bigint       NOT NULL REFERENCES adapter (id),
    alias        varchar(63)  NOT NULL,
    from_version integer,
    -- null: the alias was deleted
    to_version   integer,
    actor        varchar(16)  NOT NULL CHECK (actor IN ('policy', 'api')),
    reason       text,
    moved_at     timestamptz  NOT NULL
);
CREATE INDEX alias_move_history ON alias_move (adapter_id, alias, id);
