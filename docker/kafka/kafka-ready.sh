#!/bin/bash
# Health check: the broker answers an ApiVersions request (Kafka's protocol: API key 18, version 0, correlation id
# 1) on its listener with error code 0 — without starting a JVM, which alone can outlast the check's timeout on a
# loaded machine.
exec 3<>"/dev/tcp/127.0.0.1/${1:-9092}" || exit 1
printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc' >&3
reply=$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')
# length (4 bytes), correlation id 00000001, error code 0000
[ "${reply:8:12}" = "000000010000" ]
