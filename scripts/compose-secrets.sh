#!/usr/bin/env bash
# Generates the secrets docker-compose.yml needs into .env next to it (read by docker compose itself), once: values
# already there are kept. No compose service starts without them, and no service accepts a value written in the
# repository (SECURITY.md). Usage: scripts/compose-secrets.sh [env-file]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENV_FILE=${1:-$ROOT/.env}
NAMES=(PEFTFLOW_PG_PASSWORD PEFTFLOW_S3_SECRET_KEY PEFTFLOW_GATEWAY_SECRET PEFTFLOW_GATEWAY_ADMIN_KEY
  PEFTFLOW_KAFKA_ADMIN_PASSWORD PEFTFLOW_KAFKA_DATASET_PASSWORD PEFTFLOW_KAFKA_TRAINER_PASSWORD
  PEFTFLOW_KAFKA_REGISTRY_PASSWORD PEFTFLOW_KAFKA_INFERENCE_PASSWORD
  PEFTFLOW_PG_DATASET_PASSWORD PEFTFLOW_PG_TRAINER_PASSWORD PEFTFLOW_PG_REGISTRY_PASSWORD PEFTFLOW_PG_GATEWAY_PASSWORD
  PEFTFLOW_S3_DATASET_SECRET_KEY PEFTFLOW_S3_TRAINER_SECRET_KEY PEFTFLOW_S3_REGISTRY_SECRET_KEY PEFTFLOW_S3_INFERENCE_SECRET_KEY)

umask 077
touch "$ENV_FILE"
for name in "${NAMES[@]}"; do
  if ! grep -q "^$name=." "$ENV_FILE"; then
    echo "$name=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')" >>"$ENV_FILE"
    echo "[compose-secrets] $name generated in $ENV_FILE"
  fi
done
