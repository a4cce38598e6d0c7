#!/usr/bin/env bash
# Checkout benchmark: one command, one table.
#
# Starts a private MariaDB (durable commits: innodb_flush_log_at_trx_commit=1) and the SNS/SQS
# emulator on free ports, starts target/donut-states.jar against them as ./run.sh does (jvm.sh:
# Temurin 25 with an AOT cache where it is installed, else the JDK on PATH with a class-data-
# sharing archive, either recorded by a first start), and measures with wrk:
# - the app's bare HTTP ceiling, GET /observe/health/live, the reference for orders, and the
#   product read GET /api/products/{sku};
# - POST /api/orders on one hot SKU at 16, 64 and 256 connections, and spread uniformly over
#   10,000 SKUs at 64;
# - the restock pipeline's stock-out -> stock-back time with SIMULATOR_DELAY_MS=0;
# - the ceiling, the hot SKU and the 10,000 SKUs again through HAProxy in front of 3 replicas of
#   the jar on the same database;
# - each replica's time from launch to its first served request (a 2xx on GET
#   /api/products/{sku}, which reads the database), and peak RSS; for a new replica also how long
#   its main() thread ran and waited for a core until then, and the JIT compilers' CPU;
# - the CPU each answered request costs the app, MariaDB and wrk in the one-replica runs: they
#   share this machine's cores, so these totals bound the ratio of orders to the ceiling.
# After every order run the books are checked: 201 answers = stock that left = new order rows
# (wrk stops with up to one order per connection in flight, whose answer it never counts: stock
# that left may exceed the 201s by those cut-off orders, never more), stock never negative.
# Prints one Markdown table and writes it to bench/results/<date>.md.
#
# Tunables (environment): BENCH_SECONDS (15) per load run, BENCH_WARMUP_SECONDS (10),
# BENCH_CYCLES (50) pipeline cycles, BENCH_SKUS (10000) for the uniform load, BENCH_STARTS (5)
# starts of a new replica timed, BENCH_CACHE (1; 0 measures the starts without the AOT cache or
# archive), APP_JAVA the java that runs the app (see jvm.sh), JAVA_OPTS added after jvm.options
# for the app's JVM (as ./run.sh passes them).
#
# BENCH_BASELINE=JAR compares instead: that jar (built from an earlier commit) and
# target/donut-states.jar take turns on the same machine, database and emulator, BENCH_ROUNDS (3)
# rounds of the one-replica runs and new-replica starts each, and one table gives both (see
# bench/compare.sh). Run-to-run spread on a shared 2-core machine is larger than most changes, so
# two tables taken minutes apart do not tell whether a change made things worse; turns do.
# Everything the script starts is stopped at the end; nothing of a developer's ./run.sh is used.
set -euo pipefail
cd "$(dirname "$0")/.."
source ./jvm.sh

SECONDS_PER_RUN=${BENCH_SECONDS:-15}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-10}
CYCLES=${BENCH_CYCLES:-50}
UNIFORM_SKUS=${BENCH_SKUS:-10000}
STARTS=${BENCH_STARTS:-5}
BASELINE=${BENCH_BASELINE:-}
JAR=target/donut-states.jar
HOT=BENCH-HOT
UNIFORM=BENCH-U
PIPE=BENCH-PIPE
# The product the first migration creates (README, "Try it with curl"), so the first request a
# replica serves reads the database whether or not the benchmark has made its own products yet.
FIRST_REQUEST=/api/products/CP-502101
REPLICAS=3

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
PATH=$PATH:/usr/sbin
need wrk wrk
need haproxy haproxy
need mariadbd mariadb-server
need mariadb-install-db mariadb-server
need mariadb mariadb-client
need curl curl
need ss iproute2
need node nodejs
need java openjdk-17-jdk-headless
jvm_select

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
  cp "$WORK"/*.log "$WORK"/*.txt "$LOGS"/ 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
CHOSEN_PORTS=" "
free_port() { # sets PORT, never one it chose before
  # Below the ephemeral range, so no outgoing connection holds the port between check and bind.
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
  for port in $(shuf -i 10000-$((low - 1)) -n 100); do
    [[ $CHOSEN_PORTS == *" $port "* ]] && continue
    ss -Htan "sport = :$port" 2>/dev/null | grep -q . && continue
    answers "$port" && continue
    CHOSEN_PORTS+="$port "; PORT=$port; return
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

free_port; DB_PORT=$PORT
mariadb-install-db --no-defaults --datadir="$WORK/db" --user="$(id -un)" --auth-root-authentication-method=socket \
  --skip-test-db >"$WORK/mariadb-install.log" 2>&1
mariadbd --no-defaults --datadir="$WORK/db" --socket="$WORK/mysql.sock" --port="$DB_PORT" --bind-address=127.0.0.1 \
  --user="$(id -un)" --innodb-flush-log-at-trx-commit=1 --skip-log-bin --innodb-buffer-pool-size=256M \
  --max-connections=500 >"$WORK/mariadb.log" 2>&1 &
pids+=($!); DB_PID=$!
sql() { mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -N -B donut -e "$1"; }
wait_for "MariaDB" 60 mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -e "SELECT 1" >/dev/null
DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -e "CREATE DATABASE donut;
  CREATE USER 'donut'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD'; GRANT ALL ON donut.* TO 'donut'@'127.0.0.1';"
DB_VERSION=$(mariadb --socket="$WORK/mysql.sock" -u"$(id -un)" -N -B -e "SELECT VERSION()")

free_port; AWS_PORT=$PORT
FAUXQS_PORT=$AWS_PORT FAUXQS_DEFAULT_REGION=ap-northeast-2 FAUXQS_LOGGER=false \
  node localstack/node_modules/fauxqs/dist/cli.js >"$WORK/fauxqs.log" 2>&1 &
pids+=($!)
wait_for "the SNS/SQS emulator" 60 curl -fsS -o /dev/null "http://127.0.0.1:$AWS_PORT/health"

ADMIN_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')x0123456789
CALLBACK_SECRET=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')x0123456789
free_port; SMTP_PORT=$PORT
declare -a PORTS
for ((r = 1; r <= REPLICAS; r++)); do free_port; PORTS[r]=$PORT; done
BASE=http://127.0.0.1:${PORTS[1]}
free_port; LB_PORT=$PORT
free_port; LB_ONE_PORT=$PORT
free_port; STATS_PORT=$PORT
declare -A APP_PID
# start_app REPLICA [JVM option ...]: starts replica REPLICA (1..3) of the jar as ./run.sh does
# (jvm.options, then JAVA_OPTS) and waits until it is ready. SERVING_MS is the time from launch to
# its first served request, READY_MS to its first 200 on /observe/health/ready (the restock
# pipeline started too, README "Running in production"). Replica 1 runs the factory simulator;
# the others run as production does, with the simulator off, ordering from replica 1's and
# sharing one PUBLIC_BASE_URL, HAProxy's.
start_app() {
  local replica=$1 started_ns; shift
  local port=${PORTS[replica]} role=()
  ((replica == 1)) || role=(FACTORY_SIMULATOR=off FACTORY_URL="$BASE/simulator" PUBLIC_BASE_URL="http://127.0.0.1:$LB_PORT")
  started_ns=$(date +%s%N)
  env PORT="$port" DB_URL="jdbc:mysql://127.0.0.1:$DB_PORT/donut" DB_USER=donut DB_PASSWORD="$DB_PASSWORD" \
    AWS_ENDPOINT_URL="http://127.0.0.1:$AWS_PORT" AWS_REGION=ap-northeast-2 AWS_PROVISION="$PROVISION" \
    FACTORY_SIMULATOR=on SIMULATOR_DELAY_MS=0 ADMIN_TOKEN="$ADMIN_TOKEN" CALLBACK_SECRET="$CALLBACK_SECRET" \
    SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT" "${role[@]}" \
    "$APP_JAVA" @jvm.options ${JAVA_OPTS:-} "$@" -jar "$JAR" >>"$WORK/app-$replica.log" 2>&1 &
  APP_PID[$replica]=$!
  pids+=("${APP_PID[$replica]}")
  SERVING_MS=$(until_answered "$replica" "$started_ns" "$FIRST_REQUEST")
  SERVING_THREADS=$(thread_times "${APP_PID[$replica]}")
  READY_MS=$(until_answered "$replica" "$started_ns" /observe/health/ready)
}
# thread_times PID: "MAIN_RUN MAIN_WAIT JIT" in ms so far: the time the thread that runs main() was
# on a core and waiting in the run queue for one, and the CPU of the JIT compiler threads. On two
# cores the compilers take a core from main while a replica starts (README, Benchmark). "0 0 0"
# where the kernel keeps no scheduler statistics.
thread_times() {
  local task main_run=0 main_wait=0 jit=0 name run wait
  for task in /proc/"$1"/task/*; do
    read -r run wait _ 2>/dev/null <"$task/schedstat" || continue
    name=$(<"$task/comm")
    # The launcher's first thread (the process id) only waits; main() runs on the one it starts.
    if [[ $name == java && ${task##*/} != "$1" ]] && ((run > main_run)); then
      main_run=$run; main_wait=$wait
    elif [[ $name == C[12]\ CompilerThre* ]]; then
      jit=$((jit + run))
    fi
  done
  echo $((main_run / 1000000)) $((main_wait / 1000000)) $((jit / 1000000))
}
until_answered() { # REPLICA STARTED_NS PATH: ms from STARTED_NS to the first 2xx on PATH
  local replica=$1 started_ns=$2 path=$3
  until curl -fs -o /dev/null "http://127.0.0.1:${PORTS[replica]}$path"; do
    kill -0 "${APP_PID[$replica]}" 2>/dev/null || { echo "bench: replica $replica exited; see $LOGS/app-$replica.log" >&2; exit 1; }
    (( $(date +%s%N) - started_ns < 120000000000 )) || { echo "bench: replica $replica did not answer $path in 120 s" >&2; exit 1; }
    sleep 0.01
  done
  echo $(( ($(date +%s%N) - started_ns) / 1000000 ))
}
stop_app() { # REPLICA
  local pid=${APP_PID[$1]} kept=() p
  kill -TERM "$pid"
  wait "$pid" || true
  # Gone, so off the list: cleanup must not signal a process id the system has handed on.
  for p in "${pids[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  pids=("${kept[@]}")
}

# train JAR CACHE_FILE: the first start of JAR. It creates the topic, queues and subscription in
# the emulator, as CloudFormation does on AWS, and is the training run of the start-up cache
# (BENCH_CACHE=1): it serves a few hundred requests and records what it loaded (jvm.sh) as it
# stops. The database is emptied after it, so the next start migrates the schema; the replicas
# started after that find the schema and the stack, as in production (AWS_PROVISION=false).
train() {
  local cache=$2 started=$SECONDS record=()
  JAR=$1
  [[ ${BENCH_CACHE:-1} == 1 ]] && record=("$(jvm_record_option "$cache")")
  echo "First start of $JAR on $(jvm_describe | cut -d, -f1): the emulator's stack${record[*]:+ and the training run of the start-up cache} ..."
  PROVISION=true
  start_app 1 "${record[@]}"
  [[ -n ${record[*]} ]] && jvm_train "$BASE" "$ADMIN_TOKEN"
  stop_app 1
  [[ -z ${record[*]} || -s $cache ]] || { echo "bench: no start-up cache was written; see $LOGS/app-1.log" >&2; exit 1; }
  TRAINING_S=$((SECONDS - started))
  mv "$WORK/app-1.log" "$WORK/app-first-start-$(basename "$JAR" .jar).log"
  sql "DROP DATABASE donut; CREATE DATABASE donut;"
  PROVISION=false
}
# cache_options CACHE_FILE: sets CACHE_OPTS, the options that start a replica from the cache.
cache_options() {
  CACHE_OPTS=()
  [[ ${BENCH_CACHE:-1} == 1 ]] && CACHE_OPTS=("$(jvm_use_option "$1")")
  return 0
}
# seed_products: the hot SKU and the BENCH_SKUS products of the uniform load, through the admin API.
seed_products() {
  curl -fsS -o /dev/null -X PUT "$BASE/api/products/$HOT" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"name":"Hot donut","price":1.00,"stock":100000000,"factoryId":"factory_01","restockQuantity":100}'
  echo "Creating $UNIFORM_SKUS products for the uniform load ..."
  java bench/SeedProducts.java "$BASE" "$ADMIN_TOKEN" "$UNIFORM" "$UNIFORM_SKUS" 1000000 2>"$WORK/seed.log" \
    || { echo "bench: creating the products failed; see $LOGS/seed.log" >&2; exit 1; }
}

# --- load ---------------------------------------------------------------------------------------
run_wrk() { # name, connections, seconds, URL, [orders.lua arguments: SKU prefix, SKU count]
  local name=$1 connections=$2 duration=$3 url=$4; shift 4
  local script=() ticks db_ticks TIMEFORMAT='%3U %3S'
  (($# > 0)) && script=(-s bench/orders.lua)
  ticks=$(cpu_ticks); db_ticks=$(ticks_of "$DB_PID")
  { time wrk -t "$(nproc)" -c "$connections" -d "${duration}s" --timeout 30s --latency "${script[@]}" "$url" ${1:+--} "$@" \
    >"$WORK/$name.txt"; } 2>"$WORK/$name-cpu.txt"
  CPU_US[$name]=$(per_request "$name" "$(ticks_to_seconds $(($(cpu_ticks) - ticks)))")
  DB_CPU_US[$name]=$(per_request "$name" "$(ticks_to_seconds $(($(ticks_of "$DB_PID") - db_ticks)))")
  WRK_CPU_US[$name]=$(per_request "$name" "$(awk 'END {print $1 + $2}' "$WORK/$name-cpu.txt")")
}
declare -A CPU_US DB_CPU_US WRK_CPU_US
# cpu_ticks: user + system CPU time of replica 1 so far, in clock ticks; CPU_US[run] is its CPU
# time per answered request, which varies less between runs than the throughput does.
# DB_CPU_US and WRK_CPU_US are MariaDB's and wrk's: all three share this machine's cores.
cpu_ticks() { ticks_of "${APP_PID[1]:-0}"; }
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
ticks_to_seconds() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}'; }
per_request() { # NAME CPU_SECONDS: µs per request the run answered
  awk -v s="$2" '/ requests in / {printf "%.0f", ($1 > 0) ? s * 1000000 / $1 : 0}' "$WORK/$1.txt"
}
rps() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WORK/$1.txt"; }
latency_ms() { # name, percentile
  awk -v p="$2%" '$1 == p {
      v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else { sub(/s$/, "", v); v *= 1000 }
      printf "%.1f", v
    }' "$WORK/$1.txt"
}
socket_errors() { # connect, read, write and timeout errors
  awk '/Socket errors:/ {gsub(/,/, ""); n = $4 + $6 + $8 + $10} END {print n + 0}' "$WORK/$1.txt"
}
not_2xx() { awk '/Non-2xx or 3xx responses:/ {n = $5} END {print n + 0}' "$WORK/$1.txt"; }
order_count() { # name, sent|201|409|other
  awk -v want="$2" '$1 == "orders" && $2 == "sent" {
      if (want == "sent") print $3; else if (want == "201") print $5; else if (want == "409") print $7; else print $9
    }' "$WORK/$1.txt"
}
stock_of() { sql "SELECT COALESCE(SUM(stock), 0) FROM products WHERE sku = '$1' OR sku LIKE '$1-%'"; }
# books_of SKU: "stock order-rows" of the SKU (or its PREFIX-n family) in one statement, so that
# both are read from one snapshot: read one after the other, a batch committing in between
# counts its rows but not its stock.
books_of() {
  sql "SELECT (SELECT COALESCE(SUM(stock), 0) FROM products WHERE sku = '$1' OR sku LIKE '$1-%'),
              (SELECT COUNT(*) FROM orders WHERE sku = '$1' OR sku LIKE '$1-%')" | tr '\t' ' '
}
# settled_books_of SKU: books_of once the orders wrk left in flight have been answered (the app
# goes on selling them after wrk has gone): the same reading twice, 200 ms apart.
settled_books_of() {
  local last now
  last=$(books_of "$1")
  for _ in $(seq 150); do
    sleep 0.2
    now=$(books_of "$1")
    [[ $now == "$last" ]] && { echo "$now"; return; }
    last=$now
  done
  echo "bench: orders of $1 were still being sold 30 s after the load stopped" >&2; exit 1
}

books_ok=true
declare -A RPS P50 P99 BOOKS
# order_run NAME CONNECTIONS URL SKU SKU_COUNT: one measured order run and its books.
order_run() {
  local name=$1 connections=$2 url=$3 sku=$4 count=$5
  local stock_before rows_before sent sold refused other cut left rows negative errors
  local stock_after rows_after
  read -r stock_before rows_before <<<"$(settled_books_of "$sku")"
  run_wrk "$name" "$connections" "$SECONDS_PER_RUN" "$url" "$sku" "$count"
  read -r stock_after rows_after <<<"$(settled_books_of "$sku")"
  left=$((stock_before - stock_after)); rows=$((rows_after - rows_before))
  sent=$(order_count "$name" sent); sold=$(order_count "$name" 201); refused=$(order_count "$name" 409)
  other=$(order_count "$name" other); errors=$(socket_errors "$name")
  cut=$((sent - sold - refused - other))
  negative=$(sql "SELECT COUNT(*) FROM products WHERE stock < 0")
  RPS[$name]=$(rps "$name"); P50[$name]=$(latency_ms "$name" 50); P99[$name]=$(latency_ms "$name" 99)
  if ((left == rows && sold <= left && left <= sold + cut && negative == 0 && other == 0 && refused == 0 && errors == 0)); then
    BOOKS[$name]="pass"
  else
    BOOKS[$name]="FAIL"; books_ok=false
  fi
  BOOKS[$name]="${BOOKS[$name]} (201: $sold, stock left: $left, order rows: $rows, cut off at the end: $cut, 409: $refused, other: $((other + errors)))"
}
read_run() { # NAME URL: a measured read run at 64 connections
  run_wrk "$1" 64 "$SECONDS_PER_RUN" "$2"
  RPS[$1]=$(rps "$1"); P50[$1]=$(latency_ms "$1" 50); P99[$1]=$(latency_ms "$1" 99)
  (($(socket_errors "$1") + $(not_2xx "$1") == 0)) || { books_ok=false; echo "bench: $1 had errors; see $LOGS/$1.txt" >&2; }
}

warm_up() {
  echo "Warming up ($WARMUP_SECONDS s each: reads, hot-SKU orders, uniform orders) ..."
  run_wrk warmup-reads 64 "$WARMUP_SECONDS" "$BASE/api/products/$HOT"
  run_wrk warmup-hot 64 "$WARMUP_SECONDS" "$BASE/api/orders" "$HOT" 1
  run_wrk warmup-uniform 64 "$WARMUP_SECONDS" "$BASE/api/orders" "$UNIFORM" "$UNIFORM_SKUS"
}
# measure_one_replica [PREFIX]: the runs against replica 1 alone, named PREFIXlive, PREFIXreads, ...
measure_one_replica() {
  local prefix=${1:-} c
  echo "One replica: ceiling, reads, hot SKU at 16/64/256, uniform at 64 ($SECONDS_PER_RUN s each) ..."
  read_run "${prefix}live" "$BASE/observe/health/live"
  read_run "${prefix}reads" "$BASE/api/products/$HOT"
  for c in 16 64 256; do
    order_run "${prefix}hot-$c" "$c" "$BASE/api/orders" "$HOT" 1
  done
  order_run "${prefix}uniform-64" 64 "$BASE/api/orders" "$UNIFORM" "$UNIFORM_SKUS"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }

[[ -n $BASELINE ]] && source bench/compare.sh

train "$JAR" "$(jvm_cache_file "$WORK/donut-states")"
cache_options "$(jvm_cache_file "$WORK/donut-states")"
start_app 1 "${CACHE_OPTS[@]}"
FIRST_SERVING_MS=$SERVING_MS; FIRST_READY_MS=$READY_MS
echo "Replica 1 served its first request $FIRST_SERVING_MS ms after launch and was ready after $FIRST_READY_MS ms (it migrated the schema)"
seed_products
warm_up
measure_one_replica
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/${APP_PID[1]}/status")

echo "Restock pipeline, $CYCLES cycles of stock-out -> stock back ..."
pipeline=$(java bench/PipelineCycles.java "$BASE" "$ADMIN_TOKEN" "$PIPE" "$CYCLES" 2>"$WORK/pipeline.log") \
  || { echo "bench: the pipeline cycles failed; see $LOGS/pipeline.log" >&2; exit 1; }
read -r PIPE_P50 PIPE_P95 PIPE_MAX <<<"$pipeline"
pipe_stock=$(stock_of "$PIPE"); pipe_restocks=$(sql "SELECT COUNT(*) FROM restock_requests WHERE sku = '$PIPE' AND status = 'FULFILLED'")
[[ $pipe_stock == 1 && $pipe_restocks == "$CYCLES" ]] || books_ok=false

# A new replica joins a running deployment: the schema is there, replica 1 idles. Replica 3 is
# started, timed and stopped BENCH_STARTS times; replicas 2 and 3 then stay for the balanced runs.
echo "A new replica, started $STARTS times, then replicas 2 and 3 ..."
NEW_MS=(); NEW_READY_MS=(); NEW_MAIN_RUN=(); NEW_MAIN_WAIT=(); NEW_JIT=()
for ((i = 1; i <= STARTS; i++)); do
  start_app 3 "${CACHE_OPTS[@]}"; NEW_MS+=("$SERVING_MS"); NEW_READY_MS+=("$READY_MS")
  read -r main_run main_wait jit <<<"$SERVING_THREADS"
  NEW_MAIN_RUN+=("$main_run"); NEW_MAIN_WAIT+=("$main_wait"); NEW_JIT+=("$jit")
  stop_app 3
done
start_app 2 "${CACHE_OPTS[@]}"; SECOND_MS="$SERVING_MS ms (ready $READY_MS ms)"
start_app 3 "${CACHE_OPTS[@]}"; THIRD_MS="$SERVING_MS ms (ready $READY_MS ms)"
new_median=$(median "${NEW_MS[@]}"); new_ready_median=$(median "${NEW_READY_MS[@]}")

# HAProxy as the load balancer, as the end-to-end harness runs it (src/test/java/e2e/LoadBalancer.java):
# round robin, readiness checked every second. One frontend sends to replica 1 alone, the other
# to all three, so that 1 and 3 replicas are compared through the same proxy. Its statistics tell
# whether a replica left the rotation during a run.
{
  printf 'global\n    maxconn 4096\n'
  printf 'defaults\n    mode http\n    maxconn 4096\n    timeout connect 1s\n    timeout client 70s\n'
  printf '    timeout server 35s\n    timeout check 3s\n    retries 3\n    option redispatch 1\n'
  printf 'frontend api\n    bind 127.0.0.1:%s\n    default_backend replicas\n' "$LB_PORT"
  printf 'frontend one\n    bind 127.0.0.1:%s\n    default_backend one\n' "$LB_ONE_PORT"
  printf 'frontend stats\n    bind 127.0.0.1:%s\n    stats enable\n    stats uri /stats\n' "$STATS_PORT"
  for backend in replicas one; do
    printf 'backend %s\n    balance roundrobin\n    option httpchk\n' "$backend"
    printf '    http-check send meth GET uri /observe/health/ready\n    http-check expect status 200\n'
    printf '    default-server inter 1s fall 2 rise 1\n'
    for ((r = 1; r <= REPLICAS; r++)); do
      [[ $backend == one && $r != 1 ]] || printf '    server app%d 127.0.0.1:%s check\n' "$r" "${PORTS[r]}"
    done
  done
} >"$WORK/haproxy.cfg"
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
pids+=($!)
LB=http://127.0.0.1:$LB_PORT
LB_ONE=http://127.0.0.1:$LB_ONE_PORT
replicas_up() { # the servers HAProxy sends requests to; with "downs", how often any went down
  curl -fsS "http://127.0.0.1:$STATS_PORT/stats;csv" | awk -F, -v what="${1:-up}" '
    NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i; next}
    ($1 == "replicas" || $1 == "one") && $2 ~ /^app/ {up += ($(col["status"]) == "UP"); downs += $(col["chkdown"])}
    END {print (what == "downs") ? downs + 0 : up + 0}'
}
all_up() { [[ $(replicas_up) == $((REPLICAS + 1)) ]]; }
wait_for "three replicas behind HAProxy" 30 all_up

echo "Through HAProxy: warm-up of replicas 2 and 3, then ceiling, hot SKU and uniform at 64 to 1 replica and to 3 ($SECONDS_PER_RUN s each) ..."
run_wrk warmup-balanced-hot 64 "$WARMUP_SECONDS" "$LB/api/orders" "$HOT" 1
run_wrk warmup-balanced-uniform 64 "$WARMUP_SECONDS" "$LB/api/orders" "$UNIFORM" "$UNIFORM_SKUS"
for lb in one balanced; do
  url=$LB; [[ $lb == one ]] && url=$LB_ONE
  read_run "$lb-live" "$url/observe/health/live"
  order_run "$lb-hot-64" 64 "$url/api/orders" "$HOT" 1
  order_run "$lb-uniform-64" 64 "$url/api/orders" "$UNIFORM" "$UNIFORM_SKUS"
done
LB_DOWNS=$(replicas_up downs)
((LB_DOWNS == 0)) || books_ok=false

load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table ----------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {ok = (op == "<=") ? v <= g : v >= g; print ok ? "pass" : "fail"}'; }
load() { echo "${RPS[$1]} req/s, p50 ${P50[$1]} ms, p99 ${P99[$1]} ms"; }
cpu_total() { echo $((CPU_US[$1] + DB_CPU_US[$1] + WRK_CPU_US[$1])); }
cpu_label() { case $1 in live) echo "bare HTTP ceiling" ;; hot-64) echo "orders on one SKU" ;; *) echo "orders over $UNIFORM_SKUS SKUs" ;; esac; }
hot_ratio=$(ratio "${RPS[hot-64]}" "${RPS[live]}")
uniform_ratio=$(ratio "${RPS[uniform-64]}" "${RPS[hot-64]}")
balanced_ratio=$(ratio "${RPS[balanced-uniform-64]}" "${RPS[balanced-hot-64]}")
rss_mb=$((RSS_KB / 1024))
stamp=$(date +%Y-%m-%dT%H%M)
out="bench/results/$stamp.md"
{
  echo "### Benchmark $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "$(nproc) cores, load average $load_start at start and $load_end at the end (1, 5, 15 min);" \
    "MariaDB $DB_VERSION with innodb_flush_log_at_trx_commit=1; $(jvm_describe | cut -d, -f1);" \
    "wrk with $(nproc) threads, ${SECONDS_PER_RUN} s per run after ${WARMUP_SECONDS} s warm-up; commit $(git rev-parse --short HEAD);" \
    "JVM options: jvm.options${JAVA_OPTS:+ $JAVA_OPTS}${CACHE_OPTS[*]:+ with the $(jvm_describe | cut -d, -f2- | sed 's/^ //') of a training run (${TRAINING_S} s, cache written included)};" \
    "the replicas found the AWS stack made (AWS_PROVISION=false); HAProxy $(haproxy -v | awk 'NR == 1 {print $3}') balances $REPLICAS replicas round robin."
  echo
  echo "| metric | value | goal | result |"
  echo "|---|---|---|---|"
  echo "| bare HTTP ceiling \`GET /observe/health/live\`, 64 connections | $(load live) | reference | |"
  echo "| reads \`GET /api/products/{sku}\`, 64 connections | $(load reads) | | |"
  for c in 16 64 256; do
    echo "| orders on one SKU, $c connections | $(load "hot-$c") | | |"
  done
  echo "| orders over $UNIFORM_SKUS SKUs, 64 connections | $(load uniform-64) | | |"
  echo "| hot-SKU orders / ceiling at 64 connections | $hot_ratio | >= 0.8 | $(verdict "$hot_ratio" ">=" 0.8) |"
  echo "| $UNIFORM_SKUS-SKU orders / hot-SKU orders at 64 connections | $uniform_ratio | >= 1 | $(verdict "$uniform_ratio" ">=" 1) |"
  echo "| hot-SKU order p99 at 64 connections | ${P99[hot-64]} ms | <= 50 ms | $(verdict "${P99[hot-64]}" "<=" 50) |"
  echo "| $UNIFORM_SKUS-SKU order p99 at 64 connections | ${P99[uniform-64]} ms | <= 50 ms | $(verdict "${P99[uniform-64]}" "<=" 50) |"
  for name in live hot-64 uniform-64; do
    echo "| CPU per answered request, $(cpu_label "$name"), 64 connections (app + MariaDB + wrk) | $(cpu_total "$name") µs (${CPU_US[$name]} + ${DB_CPU_US[$name]} + ${WRK_CPU_US[$name]}) | | |"
  done
  echo "| hot-SKU orders / ceiling that this CPU allows, on shared cores | $(ratio "$(cpu_total live)" "$(cpu_total hot-64)") | | |"
  for lb in one balanced; do
    n=$REPLICAS; [[ $lb == one ]] && n=1
    echo "| through HAProxy to $n replica(s): ceiling, 64 connections | $(load "$lb-live") | | |"
    echo "| through HAProxy to $n replica(s): orders on one SKU, 64 connections | $(load "$lb-hot-64") | | |"
    echo "| through HAProxy to $n replica(s): orders over $UNIFORM_SKUS SKUs, 64 connections | $(load "$lb-uniform-64") | | |"
  done
  echo "| through HAProxy, $REPLICAS replicas / 1: ceiling, hot SKU, $UNIFORM_SKUS SKUs | $(ratio "${RPS[balanced-live]}" "${RPS[one-live]}"), $(ratio "${RPS[balanced-hot-64]}" "${RPS[one-hot-64]}"), $(ratio "${RPS[balanced-uniform-64]}" "${RPS[one-uniform-64]}") | | |"
  echo "| through HAProxy to $REPLICAS replicas: $UNIFORM_SKUS-SKU orders / hot-SKU orders | $balanced_ratio | | |"
  echo "| replicas taken out of rotation by HAProxy during the runs | $LB_DOWNS | 0 | $( ((LB_DOWNS == 0)) && echo pass || echo fail) |"
  for name in hot-16 hot-64 hot-256 uniform-64 one-hot-64 one-uniform-64 balanced-hot-64 balanced-uniform-64; do
    echo "| books, $name | ${BOOKS[$name]} | 201s <= stock left <= 201s + cut off, stock >= 0 | ${BOOKS[$name]%% *} |"
  done
  echo "| restock pipeline, stock-out -> stock back ($CYCLES cycles) | median $PIPE_P50 ms, p95 $PIPE_P95 ms, max $PIPE_MAX ms | median <= 300 ms | $(verdict "$PIPE_P50" "<=" 300) |"
  echo "| launch to first served request, replica 1 (migrates the empty schema) | $FIRST_SERVING_MS ms (ready $FIRST_READY_MS ms) | | |"
  echo "| launch to first served request, a new replica ($STARTS starts) | median $new_median ms (${NEW_MS[*]}) | <= 2000 ms | $(verdict "$new_median" "<=" 2000) |"
  echo "| launch to ready, a new replica ($STARTS starts) | median $new_ready_median ms (${NEW_READY_MS[*]}) | | |"
  echo "| until its first served request: main() on a core / waiting for one / JIT compilers' CPU | median $(median "${NEW_MAIN_RUN[@]}") / $(median "${NEW_MAIN_WAIT[@]}") / $(median "${NEW_JIT[@]}") ms | | |"
  echo "| launch to first served request, replicas 2 and 3 | $SECOND_MS, $THIRD_MS | | |"
  echo "| peak RSS (VmHWM) of replica 1 after its load | $rss_mb MB | <= 400 MB | $(verdict "$rss_mb" "<=" 400) |"
} | tee "$out"
echo
echo "Written to $out; logs in $LOGS/"
$books_ok || { echo "bench: THE BOOKS DO NOT BALANCE, OR A RUN HAD ERRORS" >&2; exit 1; }
