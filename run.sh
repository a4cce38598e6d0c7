#!/usr/bin/env bash
# Runs Donut-States locally in the foreground: builds the jar when the sources are newer,
# starts the SNS/SQS emulator from localstack/ unless one already answers on :4566 and a local
# SMTP server (GreenMail) for the ops email unless SMTP_HOST is set, and runs the app with an
# embedded database under ./data and the factory simulator. Ctrl-C stops everything this
# script started.
# Every variable of the README's configuration table passes through from your environment.
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/donut-states.jar
EMULATOR_PORT=4566
GREENMAIL_VERSION=2.1.2
GREENMAIL_JAR=target/tools/greenmail-standalone-$GREENMAIL_VERSION.jar
MAIL_SMTP_PORT=3025
MAIL_WEB_PORT=8025
started=()

stop_started() {
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop_started EXIT

if [[ ! -f $JAR || -n $(find src pom.xml -newer "$JAR" -print -quit) ]]; then
  echo "Building $JAR ..."
  mvn -B -q -DskipTests package
fi

mkdir -p data
if ! curl -fsS -o /dev/null "http://127.0.0.1:$EMULATOR_PORT/health" 2>/dev/null; then
  [[ -d localstack/node_modules/fauxqs ]] || npm ci --prefix localstack --no-audit --no-fund --silent
  echo "Starting the SNS/SQS emulator (fauxqs) on :$EMULATOR_PORT, log in data/fauxqs.log"
  FAUXQS_PORT=$EMULATOR_PORT FAUXQS_DEFAULT_REGION="${AWS_REGION:-ap-northeast-2}" FAUXQS_LOGGER=false \
    node localstack/node_modules/fauxqs/dist/cli.js >data/fauxqs.log 2>&1 &
  started+=($!)
  for attempt in $(seq 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$EMULATOR_PORT/health" 2>/dev/null && break
    if [[ $attempt == 60 ]]; then
      echo "The SNS/SQS emulator did not come up on :$EMULATOR_PORT; see data/fauxqs.log" >&2
      exit 1
    fi
    sleep 0.5
  done
fi

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Local SMTP sink: GreenMail keeps what it receives and shows it at http://localhost:8025
if [[ -z ${SMTP_HOST:-} ]] && ! answers "$MAIL_SMTP_PORT"; then
  if [[ ! -f $GREENMAIL_JAR ]]; then
    mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION" -DoutputDirectory=target/tools
  fi
  echo "Starting the local mail server (GreenMail) on :$MAIL_SMTP_PORT, mail readable at http://localhost:$MAIL_WEB_PORT"
  java -Dgreenmail.setup.test.smtp -Dgreenmail.hostname=127.0.0.1 -Dgreenmail.auth.disabled \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port=$MAIL_WEB_PORT \
    -jar "$GREENMAIL_JAR" >data/greenmail.log 2>&1 &
  started+=($!)
  for _ in $(seq 60); do answers "$MAIL_SMTP_PORT" && break; sleep 0.5; done
fi

# Local defaults; anything already set in the environment wins.
export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:$EMULATOR_PORT}"
export AWS_REGION="${AWS_REGION:-ap-northeast-2}"
export AWS_PROVISION="${AWS_PROVISION:-true}"
export FACTORY_SIMULATOR="${FACTORY_SIMULATOR:-on}"
# No load balancer to let go of a local run: Ctrl-C stops it without the drain.
export SHUTDOWN_DRAIN_S="${SHUTDOWN_DRAIN_S:-0}"

# The JVM and its start-up cache as jvm.sh chooses them: Temurin 25 with an AOT cache where it is
# installed, else the java on PATH with a class-data-sharing archive. A run without a cache for
# this jar records one when it stops (a few seconds more at Ctrl-C); the next run starts from it.
source ./jvm.sh
jvm_select
CACHE=$(jvm_cache_file target/donut-states)
if [[ -s $CACHE && $CACHE -nt $JAR ]]; then
  cache_option=$(jvm_use_option "$CACHE")
else
  rm -f "$CACHE"
  cache_option=$(jvm_record_option "$CACHE")
  echo "This run records $(jvm_describe | cut -d, -f2 | sed 's/^ //') $CACHE when it stops; the next run starts from it"
fi
"$APP_JAVA" @jvm.options "$cache_option" ${JAVA_OPTS:-} -jar "$JAR" "$@" &
app=$!
started+=("$app")
trap 'kill -TERM "$app" 2>/dev/null || true' INT TERM
status=0
wait "$app" || status=$?
# A signal interrupts the first wait; the second waits for the app's graceful shutdown.
if kill -0 "$app" 2>/dev/null; then
  status=0
  wait "$app" || status=$?
fi
exit "$status"
