#!/usr/bin/env bash
# Generates the local overlay's Secrets (k8s/components/generated-secrets/*.env) once; values already there are kept.
# Run it before `kubectl apply -k k8s/overlays/local` (SECURITY.md: no service accepts a value written in the repository).
set -euo pipefail

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/k8s/components/generated-secrets
random() { head -c 32 /dev/urandom | base64 | tr -d '/+=\n'; }

umask 077
write() { # file key=value...
  local file=$DIR/$1
  shift
  [ -s "$file" ] && return 0
  printf '%s\n' "$@" >"$file"
  echo "[k8s-local-secrets] generated $file"
}
write postgres.env username=peftflow "password=$(random)"
write s3.env access-key=peftflow "secret-key=$(random)"
write gateway.env "admin-key=$(random)" "upstream-secret=$(random)"
write kafka-admin.env "password=$(random)"
for user in dataset-service trainer-service registry-service inference-service; do
  write "kafka-$user.env" "password=$(random)"
done
for service in dataset trainer registry gateway; do
  write "pg-$service.env" "username=peftflow_$service" "password=$(random)"
done
for user in dataset-service trainer-service registry-service inference-service; do
  write "s3-$user.env" "secret-key=$(random)"
done
