-- 200 adapters x 50 ready versions = 10,000 versions for tenant "bench", with lineage, a champion and tags.
-- Idempotent: the tenant's rows are replaced.
BEGIN;
DELETE FROM alias_move WHERE adapter_id IN (SELECT id FROM adapter WHERE tenant = 'bench');
DELETE FROM adapter_alias WHERE adapter_id IN (SELECT id FROM adapter WHERE tenant = 'bench');
DELETE FROM version_tag WHERE version_id IN (SELECT id FROM adapter_version WHERE tenant = 'bench');
DELETE FROM version_lineage WHERE version_id IN (SELECT id FROM adapter_version WHERE tenant = 'bench');
UPDATE adapter SET headline_version_id = NULL WHERE tenant = 'bench';
DELETE FROM adapter_version WHERE tenant = 'bench';
DELETE FROM adapter WHERE tenant = 'bench';

INSERT INTO adapter (tenant, name, last_version, policy_metric, policy_direction, policy_min_improvement,
                     policy_must_beat_majority, created_at)
SELECT 'bench', 'bench-' || lpad(a::text, 3, '0'), 50, 'exact_match', 'higher', 0, true, now()
FROM generate_series(1, 200) a;

INSERT INTO adapter_version (adapter_id, tenant, version, status, job_id, method, base_model, dataset_name,
                             dataset_version, trainable_parameters, steps, size_bytes, exact_match,
                             macro_exact_match, eval_loss, perplexity, token_accuracy, metrics, files,
                             promotion_reason, created_at, ready_at)
SELECT ad.id, 'bench', v, 'READY', 'bench-job-' || ad.id || '-' || v, 'lora',
       CASE WHEN ad.id % 2 = 0 THEN 'tiny-llama' ELSE 'llama-3-8b' END, 'transactions', v, 28672, 150, 131072,
       em, em * 0.9, 1 - em / 2, exp(1 - em / 2), em,
       jsonb_build_object('base', jsonb_build_object('evalLoss', 20.2, 'perplexity', 5.9e8, 'tokenAccuracy', 0,
                                                     'exactMatch', 0, 'macroExactMatch', 0),
                          'tuned', jsonb_build_object('evalLoss', 1 - em / 2, 'perplexity', exp(1 - em / 2),
                                                      'tokenAccuracy', em, 'exactMatch', em, 'macroExactMatch', em * 0.9),
                          'majority', jsonb_build_object('label', 'groceries', 'exactMatch', 0.4,
                                                         'macroExactMatch', 0.2, 'labels', 5)),
       jsonb_build_array(
           jsonb_build_object('name', 'adapter_config.json', 'uri', 's3://peftflow-adapters/bench/x/v1/adapter_config.json',
                              'sha256', md5(ad.id::text || v) || md5(v::text), 'bytes', 512),
           jsonb_build_object('name', 'adapter_model.safetensors', 'uri', 's3://peftflow-adapters/bench/x/v1/adapter_model.safetensors',
                              'sha256', md5(v::text || ad.id) || md5(ad.id::text), 'bytes', 114784)),
       'seeded', now(), now()
FROM adapter ad, generate_series(1, 50) v, LATERAL (SELECT 0.4 + ((ad.id * 7919 + v * 104729) % 1000) / 2000.0 AS em) m
WHERE ad.tenant = 'bench';

INSERT INTO version_lineage (version_id, job_id, dataset_name, dataset_version, train_sha256, validation_sha256,
                             base_model_id, base_weights_sha256, method_name, method_config, training, seed, libraries)
SELECT id, job_id, dataset_name, dataset_version, md5(job_id) || md5(job_id || 't'), md5(job_id) || md5(job_id || 'v'),
       base_model, md5(base_model) || md5(base_model || 'w'), 'lora',
       '{"peft_type": "LORA", "r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"]}'::jsonb,
       '{"maxSteps": 150, "batchSize": 16, "learningRate": 0.01}'::jsonb, 42,
       '{"peftCore": "0.1.0-SNAPSHOT", "djl": "0.33.0", "pytorch": "2.5.1"}'::jsonb
FROM adapter_version WHERE tenant = 'bench';

INSERT INTO version_tag (version_id, key, value, created_at)
SELECT id, 'reviewed', 'yes', now() FROM adapter_version WHERE tenant = 'bench' AND version % 10 = 0;

INSERT INTO adapter_alias (adapter_id, alias, version, updated_at)
SELECT id, 'champion', 50, now() FROM adapter WHERE tenant = 'bench'
UNION ALL SELECT id, 'challenger', 50, now() FROM adapter WHERE tenant = 'bench';

UPDATE adapter a SET headline_version_id = v.id
FROM adapter_version v WHERE v.adapter_id = a.id AND v.version = 50 AND a.tenant = 'bench';
COMMIT;
ANALYZE adapter, adapter_version, version_lineage, version_tag, adapter_alias;
SELECT count(*) AS bench_versions FROM adapter_version WHERE tenant = 'bench';
