#!/bin/sh
# Creates peftflow's buckets in MinIO; idempotent. Run by docker-compose.yml (minio-buckets) and by the
# k8s Job minio-buckets, both on the pinned quay.io/minio/mc image, with S3_ENDPOINT, S3_ACCESS_KEY and
# S3_SECRET_KEY set. Each service's peftflow.s3.buckets must be listed here (deploy-check tests it).
set -eu
BUCKETS="peftflow-datasets peftflow-models peftflow-checkpoints peftflow-adapters"
MC="mc --config-dir /tmp/mc"
tries=0
until $MC alias set peftflow "$S3_ENDPOINT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >/dev/null; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "MinIO at $S3_ENDPOINT not reachable" >&2; exit 1; }
  sleep 2
done
for bucket in $BUCKETS; do
  $MC mb --ignore-existing "peftflow/$bucket"
done
