#!/bin/sh
# Creates peftflow's buckets in MinIO and one MinIO user per service with a policy for its own buckets only
# (SECURITY.md "Least privilege"; read-only where the service only reads); idempotent. Run by docker-compose.yml
# (minio-buckets) and by the k8s Job minio-buckets, both on the pinned quay.io/minio/mc image, with S3_ENDPOINT,
# S3_ACCESS_KEY and S3_SECRET_KEY (MinIO's root user) and one S3_SECRET_<USER> per user (S3_SECRET_DATASET_SERVICE,
# ...) set. Each service's peftflow.s3.buckets must be listed here, and its user must reach them (deploy-check tests
# both and runs this script against a recording `mc`: MC=<command>).
set -eu
BUCKETS="peftflow-datasets peftflow-models peftflow-checkpoints peftflow-adapters peftflow-batch-inputs peftflow-batches"
# user (the service's access key) bucket access
ACCESS="
dataset-service   peftflow-datasets    readwrite
dataset-service   peftflow-models      read
dataset-service   peftflow-batch-inputs readwrite
trainer-service   peftflow-checkpoints readwrite
trainer-service   peftflow-models      readwrite
trainer-service   peftflow-datasets    read
registry-service  peftflow-adapters    readwrite
registry-service  peftflow-checkpoints read
registry-service  peftflow-datasets    read
registry-service  peftflow-models      read
inference-service peftflow-models      read
inference-service peftflow-adapters    read
inference-service peftflow-batch-inputs read
inference-service peftflow-batches     readwrite
"
MC=${MC:-mc --config-dir /tmp/mc}
tries=0
until $MC alias set peftflow "$S3_ENDPOINT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >/dev/null; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "MinIO at $S3_ENDPOINT not reachable" >&2; exit 1; }
  sleep 2
done
for bucket in $BUCKETS; do
  $MC mb --ignore-existing "peftflow/$bucket"
done

# One statement per access level: objects (read: get; readwrite: also put, delete, multipart) and the buckets
# themselves (list, location: what the services' bucket checks need).
statement() { # access buckets...
  access=$1
  shift
  objects="" buckets=""
  for b in "$@"; do
    objects="$objects${objects:+, }\"arn:aws:s3:::$b/*\""
    buckets="$buckets${buckets:+, }\"arn:aws:s3:::$b\""
  done
  case $access in
    read) actions='"s3:GetObject"' ;;
    readwrite) actions='"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"' ;;
  esac
  printf '{"Effect": "Allow", "Action": [%s], "Resource": [%s]},\n' "$actions" "$objects"
  printf '{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], "Resource": [%s]}' "$buckets"
}


# Only sh and mc's own commands: the mc image has no awk or grep.
users=""
while read -r user bucket access; do
  [ -n "$user" ] || continue
  case " $users " in *" $user "*) ;; *) users="$users $user" ;; esac
done <<EOF
$ACCESS
EOF
buckets_of() { # user access
  echo "$ACCESS" | while read -r u b a; do if [ "$u" = "$1" ] && [ "$a" = "$2" ]; then echo "$b"; fi; done
}
policies=${TMPDIR:-/tmp}/mc-policies
mkdir -p "$policies"
for user in $users; do
  var=S3_SECRET_$(echo "$user" | tr 'a-z-' 'A-Z_')
  secret=$(eval "printf %s \"\${$var:-}\"")
  [ -n "$secret" ] || { echo "$var is not set" >&2; exit 1; }
  statements=""
  for access in read readwrite; do
    buckets=$(buckets_of "$user" "$access")
    [ -n "$buckets" ] || continue
    # shellcheck disable=SC2086
    statements="$statements${statements:+,
}$(statement "$access" $buckets)"
  done
  printf '{"Version": "2012-10-17", "Statement": [\n%s\n]}\n' "$statements" >"$policies/$user.json"
  $MC admin policy create peftflow "peftflow-$user" "$policies/$user.json" >/dev/null
  $MC admin user add peftflow "$user" "$secret" >/dev/null
  # Attaching twice is an error: fine when the policy is attached already.
  if ! $MC admin policy attach peftflow "peftflow-$user" --user "$user" >/dev/null 2>&1; then
    case $($MC admin user info peftflow "$user") in
      *"peftflow-$user"*) ;;
      *) echo "cannot attach policy peftflow-$user to $user" >&2; exit 1 ;;
    esac
  fi
done
echo "[minio-buckets] buckets $BUCKETS; users$users"
