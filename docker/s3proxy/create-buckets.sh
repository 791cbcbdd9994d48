#!/bin/sh
# The minio-buckets step without MinIO's client: the buckets that k8s/components/minio/create-buckets.sh (mounted
# at /scripts) lists, made with curl's SigV4 signing; idempotent (an existing bucket is fine).
set -eu
BUCKETS=$(sed -n 's/^BUCKETS="\(.*\)"$/\1/p' /scripts/create-buckets.sh)
[ -n "$BUCKETS" ] || { echo "no BUCKETS line in /scripts/create-buckets.sh" >&2; exit 1; }
tries=0
until curl -s -o /dev/null "$S3_ENDPOINT/"; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "S3 at $S3_ENDPOINT not reachable" >&2; exit 1; }
  sleep 2
done
for bucket in $BUCKETS; do
  # S3 wants the payload's SHA-256 (here of the empty body) signed along.
  code=$(curl -s -o /tmp/create-bucket.out -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" "$S3_ENDPOINT/$bucket")
  case $code in
    200|409) echo "bucket $bucket ($code)" ;;
    *) echo "creating bucket $bucket: HTTP $code $(cat /tmp/create-bucket.out)" >&2; exit 1 ;;
  esac
done
