#!/bin/sh
# Arguments (MinIO's `server /data ...`) are ignored: s3proxy serves /data on :9000.
set -eu
cat >/tmp/s3proxy.properties <<PROPS
s3proxy.endpoint=http://0.0.0.0:9000
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${MINIO_ROOT_USER:?MINIO_ROOT_USER is required}
s3proxy.credential=${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD is required}
jclouds.provider=filesystem-nio2
jclouds.identity=local
jclouds.credential=local
jclouds.filesystem.basedir=/data
PROPS
exec java -Xmx256m -Dlogback.configurationFile=/opt/s3proxy/logback.xml -cp "/opt/s3proxy/libs/*" \
  org.gaul.s3proxy.Main --properties /tmp/s3proxy.properties
