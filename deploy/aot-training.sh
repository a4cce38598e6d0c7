#!/usr/bin/env bash
# The training run of the image's AOT cache (deploy/Dockerfile; README, Running in production):
# the jar on the image's own JVM, with the embedded database and the SNS/SQS emulator from
# localstack/, serves the requests jvm.sh's jvm_train sends and is stopped; the JVM writes
# /app/donut-states.aot as it exits. Nothing of this run but the cache goes into the image.
set -euo pipefail
cd /app
source ./jvm.sh
jvm_select

FAUXQS_PORT=4566 FAUXQS_DEFAULT_REGION=ap-northeast-2 FAUXQS_LOGGER=false \
  node /emulator/node_modules/fauxqs/dist/cli.js >/tmp/fauxqs.log 2>&1 &
emulator=$!
for _ in $(seq 150); do curl -fsS -o /dev/null http://127.0.0.1:4566/health && break; sleep 0.2; done

PORT=8080 AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=ap-northeast-2 AWS_PROVISION=true FACTORY_SIMULATOR=on SHUTDOWN_DRAIN_S=0 \
  "$APP_JAVA" @jvm.options "$(jvm_record_option /app/donut-states.aot)" -jar donut-states.jar >/tmp/training.log 2>&1 &
app=$!
until curl -fs -o /dev/null http://127.0.0.1:8080/observe/health/ready; do
  kill -0 "$app" 2>/dev/null || { cat /tmp/training.log; exit 1; }
  sleep 0.2
done
# The local run's admin token (StartupChecks allows it against an emulator).
jvm_train http://127.0.0.1:8080 local-dev-admin-token
kill -TERM "$app"
wait "$app" || true
kill "$emulator"
[[ -s /app/donut-states.aot ]] || { cat /tmp/training.log; echo "no AOT cache was written" >&2; exit 1; }
rm -rf /app/data
