#!/usr/bin/env bash
# Hot-SKU checkout benchmark: one command, one table.
#
# Starts a private MariaDB (durable commits: innodb_flush_log_at_trx_commit=1) and the SNS/SQS
# emulator on free ports, starts target/donut-states.jar against them, and measures with hey:
# the app's read throughput (GET /api/products/{sku}) as the reference ceiling, POST /api/orders
# on one hot SKU at 16, 64 and 256 connections, the restock pipeline's stock-out -> stock-back
# time with SIMULATOR_DELAY_MS=0, startup time to ready and peak RSS. After every order run the
# books are checked: 201 answers = stock that left = new order rows, stock never negative.
# Prints one Markdown table and writes it to bench/results/<date>.md.
#
# Tunables (environment): BENCH_SECONDS (15) per load run, BENCH_WARMUP_SECONDS (10),
# BENCH_CYCLES (50) pipeline cycles, BENCH_CDS (1; 0 measures the start without the class-data-
# sharing archive), JAVA_OPTS added after jvm.options for the app's JVM (as ./run.sh passes them).
# Everything the script starts is stopped at the end; nothing of a developer's ./run.sh is used.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${BENCH_SECONDS:-15}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-10}
CYCLES=${BENCH_CYCLES:-50}
JAR=target/donut-states.jar
HOT=BENCH-HOT
PIPE=BENCH-PIPE
ORDER_BODY="{\"sku\":\"$HOT\",\"quantity\":1}"

# --- tools --------------------------------------------------------------------------------------
need() { # command, Debian package
  command -v "$1" >/dev/null 2>&1 && return
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing $2 (for $1) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "bench: '$1' is missing; install the Debian package $2" >&2; exit 2; }
}
need hey hey
need mariadbd mariadb-server
need mariadb-install-db mariadb-server
need mariadb mariadb-client
need curl curl
need ss iproute2
need node nodejs
need java openjdk-17-jdk-headless

if [[ ! -f $JAR || -n $(find src pom.xml -newer "$JAR" -print -quit) ]]; then
  echo "Building $JAR ..."
  mvn -B -q -o -DskipTests package || mvn -B -q -DskipTests package
fi
[[ -d localstack/node_modules/fauxqs ]] || npm ci --prefix localstack --no-audit --no-fund --silent

# --- processes this script owns -----------------------------------------------------------------
WORK=$(mktemp -d /tmp/donut-bench.XXXXXX)
LOGS=target/bench
mkdir -p "$LOGS" bench/results
pids=()
cleanup() {
  local status=$?
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  cp "$WORK"/*.log "$LOGS"/ 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  # Below the ephemeral range, so no outgoing connection holds the port between check and bind.
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
  for port in $(shuf -i 10000-$((low - 1)) -n 100); do
    ss -Htan "sport = :$port" 2>/dev/null | grep -q . && continue
    answers "$port" && continue
    echo "$port"; return
  done
  echo "bench: no free port found" >&2; exit 2
}
wait_for() { # description, seconds, command...
  local what=$1 limit=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "bench: $what did not come up within $limit s (logs in $LOGS)" >&2; exit 1; }
    sleep 0.2
  done
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Load average at start (1, 5, 15 min): $load_start on $(nproc) cores"

DB_PORT=$(free_port)
mariadb-install-db --no-defaults --datadir="$WORK/db" --user="$(id -un)" --auth-root-authentication-method=socket \
  --skip-test-db >"$WORK/mariadb-install.log" 2>&1
mariadbd --no-defaults --datadir="$WORK/db" --socket="$WORK/mysql.sock" --port="$DB_PORT" --bind-address=127.0.0.1 \
  --user="$(id -un)" --innodb-flush-log-at-trx-commit=1 --skip-log-bin --innodb-buffer-pool-size=256M \
  --max-connections=500 >"$WORK/mariadb.log" 2>&1 &
pids+=($!)
sql() { mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -N -B donut -e "$1"; }
wait_for "MariaDB" 60 mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -e "SELECT 1" >/dev/null
DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -e "CREATE DATABASE donut;
  CREATE USER 'donut'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD'; GRANT ALL ON donut.* TO 'donut'@'127.0.0.1';"
DB_VERSION=$(mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -N -B -e "SELECT VERSION()")

AWS_PORT=$(free_port)
FAUXQS_PORT=$AWS_PORT FAUXQS_DEFAULT_REGION=ap-northeast-2 FAUXQS_LOGGER=false \
  node localstack/node_modules/fauxqs/dist/cli.js >"$WORK/fauxqs.log" 2>&1 &
pids+=($!)
wait_for "the SNS/SQS emulator" 60 curl -fsS -o /dev/null "http://127.0.0.1:$AWS_PORT/health"

APP_PORT=$(free_port)
BASE=http://127.0.0.1:$APP_PORT
ADMIN_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')x0123456789
CALLBACK_SECRET=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')x0123456789
SMTP_PORT=$(free_port)
# start_app [JVM option ...]: starts the jar as ./run.sh does (jvm.options, then JAVA_OPTS) and
# waits until it is ready; STARTUP_MS is the time from launch to the first ready answer.
start_app() {
  local started_ns
  started_ns=$(date +%s%N)
  env PORT="$APP_PORT" DB_URL="jdbc:mysql://127.0.0.1:$DB_PORT/donut" DB_USER=donut DB_PASSWORD="$DB_PASSWORD" \
    AWS_ENDPOINT_URL="http://127.0.0.1:$AWS_PORT" AWS_REGION=ap-northeast-2 AWS_PROVISION="$PROVISION" \
    FACTORY_SIMULATOR=on SIMULATOR_DELAY_MS=0 ADMIN_TOKEN="$ADMIN_TOKEN" CALLBACK_SECRET="$CALLBACK_SECRET" \
    SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT" \
    java @jvm.options ${JAVA_OPTS:-} "$@" -jar "$JAR" >"$WORK/app.log" 2>&1 &
  APP_PID=$!
  pids+=("$APP_PID")
  until curl -fs -o /dev/null "$BASE/observe/health/ready"; do
    kill -0 "$APP_PID" 2>/dev/null || { echo "bench: the app exited; see $LOGS/app.log" >&2; exit 1; }
    (( $(date +%s%N) - started_ns < 120000000000 )) || { echo "bench: the app was not ready in 120 s" >&2; exit 1; }
    sleep 0.02
  done
  STARTUP_MS=$(( ($(date +%s%N) - started_ns) / 1000000 ))
}

# A first start creates the topic, queues and subscription in the emulator, as CloudFormation
# does on AWS; the measured start then finds them, as in production (AWS_PROVISION=false).
# With class data sharing (BENCH_CDS=1) the first start also records the classes the app loads
# into an archive the measured start maps instead of loading and verifying them again (see the
# README). The database is emptied in between, so the measured start migrates the schema.
CDS_ARCHIVE=$WORK/donut-states.jsa
CDS_OPTS=()
[[ ${BENCH_CDS:-1} == 1 ]] && CDS_OPTS=(-XX:SharedArchiveFile="$CDS_ARCHIVE")
echo "First start: the emulator's stack${CDS_OPTS[*]:+ and the class-data-sharing archive} ..."
PROVISION=true
start_app ${CDS_OPTS[*]:+-XX:ArchiveClassesAtExit="$CDS_ARCHIVE"}
kill -TERM "$APP_PID"; wait "$APP_PID" || true
cp "$WORK/app.log" "$WORK/app-first-start.log"
sql "DROP DATABASE donut; CREATE DATABASE donut;"
PROVISION=false
start_app "${CDS_OPTS[@]}"
echo "Ready in $STARTUP_MS ms"

curl -fsS -o /dev/null -X PUT "$BASE/api/products/$HOT" -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Hot donut","price":1.00,"stock":100000000,"factoryId":"factory_01","restockQuantity":100}'

# --- load ---------------------------------------------------------------------------------------
# hey finishes every request in flight when its time is up, so each answer it counts is one the
# server sent, and the books can be compared exactly.
run_hey() { # name, connections, seconds, hey arguments...
  local name=$1 connections=$2 duration=$3; shift 3
  hey -z "${duration}s" -c "$connections" -t 30 "$@" >"$WORK/$name.txt"
}
rps() { awk '/Requests\/sec:/ {printf "%.0f", $2}' "$WORK/$1.txt"; }
latency_ms() { awk -v p="$2%" '$1 == p && $2 == "in" {printf "%.1f", $3 * 1000}' "$WORK/$1.txt"; }
status_count() { # name, code ("other" = every answer that is neither 201 nor 409, plus transport errors)
  awk -v want="$2" '
    /Status code distribution:/ {section = "status"; next}
    /Error distribution:/ {section = "error"; next}
    section == "status" && /^ *\[[0-9]+\]/ {code = $1; gsub(/[\[\]]/, "", code); n[code] += $2}
    section == "error" && /^ *\[[0-9]+\]/ {count = $1; gsub(/[\[\]]/, "", count); errors += count}
    END {
      if (want == "other") { total = errors; for (c in n) if (c != "201" && c != "409") total += n[c]; print total + 0 }
      else print n[want] + 0
    }' "$WORK/$1.txt"
}
stock_of() { sql "SELECT stock FROM products WHERE sku = '$1'"; }
orders_of() { sql "SELECT COUNT(*) FROM orders WHERE sku = '$1'"; }

echo "Warming up ($WARMUP_SECONDS s reads, $WARMUP_SECONDS s orders) ..."
run_hey warmup-reads 64 "$WARMUP_SECONDS" "$BASE/api/products/$HOT"
run_hey warmup-orders 64 "$WARMUP_SECONDS" -m POST -T application/json -d "$ORDER_BODY" "$BASE/api/orders"

echo "Reads at 64 connections ($SECONDS_PER_RUN s) ..."
run_hey reads 64 "$SECONDS_PER_RUN" "$BASE/api/products/$HOT"
READ_RPS=$(rps reads)

books_ok=true
declare -A ORDER_RPS ORDER_P50 ORDER_P99 BOOKS
for c in 16 64 256; do
  echo "Orders on one SKU at $c connections ($SECONDS_PER_RUN s) ..."
  stock_before=$(stock_of "$HOT"); rows_before=$(orders_of "$HOT")
  run_hey "orders-$c" "$c" "$SECONDS_PER_RUN" -m POST -T application/json -d "$ORDER_BODY" "$BASE/api/orders"
  stock_after=$(stock_of "$HOT"); rows_after=$(orders_of "$HOT")
  sold=$(status_count "orders-$c" 201); refused=$(status_count "orders-$c" 409); other=$(status_count "orders-$c" other)
  left=$((stock_before - stock_after)); rows=$((rows_after - rows_before))
  negative=$(sql "SELECT COUNT(*) FROM products WHERE stock < 0")
  ORDER_RPS[$c]=$(rps "orders-$c"); ORDER_P50[$c]=$(latency_ms "orders-$c" 50); ORDER_P99[$c]=$(latency_ms "orders-$c" 99)
  if [[ $sold == "$left" && $sold == "$rows" && $negative == 0 && $other == 0 && $refused == 0 ]]; then
    BOOKS[$c]="pass"
  else
    BOOKS[$c]="FAIL"; books_ok=false
  fi
  BOOKS[$c]="${BOOKS[$c]} (201: $sold, stock left: $left, order rows: $rows, 409: $refused, other: $other)"
done

RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$APP_PID/status")

echo "Restock pipeline, $CYCLES cycles of stock-out -> stock back ..."
pipeline=$(java bench/PipelineCycles.java "$BASE" "$ADMIN_TOKEN" "$PIPE" "$CYCLES" 2>"$WORK/pipeline.log") \
  || { echo "bench: the pipeline cycles failed; see $LOGS/pipeline.log" >&2; exit 1; }
read -r PIPE_P50 PIPE_P95 PIPE_MAX <<<"$pipeline"
pipe_stock=$(stock_of "$PIPE"); pipe_restocks=$(sql "SELECT COUNT(*) FROM restock_requests WHERE sku = '$PIPE' AND status = 'FULFILLED'")
[[ $pipe_stock == 1 && $pipe_restocks == "$CYCLES" ]] || books_ok=false

load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table ----------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {ok = (op == "<=") ? v <= g : v >= g; print ok ? "pass" : "fail"}'; }
ratio=$(awk -v o="${ORDER_RPS[64]}" -v r="$READ_RPS" 'BEGIN {printf "%.2f", (r > 0) ? o / r : 0}')
rss_mb=$((RSS_KB / 1024))
stamp=$(date +%Y-%m-%dT%H%M)
out="bench/results/$stamp.md"
{
  echo "### Benchmark $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "$(nproc) cores, load average $load_start at start and $load_end at the end (1, 5, 15 min);" \
    "MariaDB $DB_VERSION with innodb_flush_log_at_trx_commit=1; $(java -version 2>&1 | head -1);" \
    "hey, ${SECONDS_PER_RUN} s per run after ${WARMUP_SECONDS} s warm-up; commit $(git rev-parse --short HEAD);" \
    "JVM options: jvm.options${JAVA_OPTS:+ $JAVA_OPTS}${CDS_OPTS[*]:+ with the class-data-sharing archive}; the measured start found the AWS stack made (AWS_PROVISION=false) and migrated an empty database."
  echo
  echo "| metric | value | goal | result |"
  echo "|---|---|---|---|"
  echo "| reads \`GET /api/products/{sku}\`, 64 connections | $READ_RPS req/s | reference | |"
  for c in 16 64 256; do
    echo "| orders on one SKU, $c connections | ${ORDER_RPS[$c]} req/s, p50 ${ORDER_P50[$c]} ms, p99 ${ORDER_P99[$c]} ms | | |"
  done
  echo "| orders / reads at 64 connections | $ratio | >= 0.5 | $(verdict "$ratio" ">=" 0.5) |"
  echo "| order p99 at 64 connections | ${ORDER_P99[64]} ms | <= 50 ms | $(verdict "${ORDER_P99[64]}" "<=" 50) |"
  for c in 16 64 256; do
    echo "| books at $c connections | ${BOOKS[$c]} | 201s = stock left, stock >= 0 | ${BOOKS[$c]%% *} |"
  done
  echo "| restock pipeline, stock-out -> stock back ($CYCLES cycles) | median $PIPE_P50 ms, p95 $PIPE_P95 ms, max $PIPE_MAX ms | median <= 300 ms | $(verdict "$PIPE_P50" "<=" 300) |"
  echo "| startup to ready | $STARTUP_MS ms | <= 3000 ms | $(verdict "$STARTUP_MS" "<=" 3000) |"
  echo "| peak RSS (VmHWM) after the load | $rss_mb MB | <= 400 MB | $(verdict "$rss_mb" "<=" 400) |"
} | tee "$out"
echo
echo "Written to $out; logs in $LOGS/"
$books_ok || { echo "bench: THE BOOKS DO NOT BALANCE" >&2; exit 1; }
