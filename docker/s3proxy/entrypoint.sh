#!/bin/sh
# Arguments (MinIO's `server /data ...`) are ignored: s3proxy serves /data on :9000.
# No signature is checked: s3proxy has one identity, while each service logs in to MinIO as a user of its own
# (k8s/components/minio/create-buckets.sh), so this stand-in accepts every key. Per-user bucket policies are MinIO's,
# checked offline (SECURITY.md "Which checks ran where").
set -eu
cat >/tmp/s3proxy.properties <<PROPS
s3proxy.endpoint=http://0.0.0.0:9000
s3proxy.authorization=none
jclouds.provider=filesystem-nio2
jclouds.identity=local
jclouds.credential=local
jclouds.filesystem.basedir=/data
PROPS
exec java -Xmx256m -Dlogback.configurationFile=/opt/s3proxy/logback.xml -cp "/opt/s3proxy/libs/*" \
  org.gaul.s3proxy.Main --properties /tmp/s3proxy.properties
