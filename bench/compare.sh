# Sourced by bench/run.sh when BENCH_BASELINE names a jar: the baseline ("before") and
# target/donut-states.jar ("after") take turns, and one table gives both.
#
# Each jar gets its own training run (a start-up cache belongs to one jar). Then, BENCH_ROUNDS
# times, each jar in turn (before-after in odd rounds, after-before in even ones, so a drift of
# the machine during the comparison falls on both sides): an emptied database, replica 1 started
# from the jar's cache, the products seeded, the warm-up, the one-replica runs with their books,
# the peak RSS, and BENCH_STARTS (2) starts of a new replica beside it. Both jars run with this
# checkout's jvm.options. The table gives each metric's median over the rounds, the change, and
# every round's value; the pipeline cycle and the HAProxy runs are not part of a comparison.

ROUNDS=${BENCH_ROUNDS:-3}
STARTS=${BENCH_STARTS:-2}
[[ -f $BASELINE ]] || { echo "bench: BENCH_BASELINE=$BASELINE is not a file" >&2; exit 2; }
declare -A JAR_OF=([before]=$BASELINE [after]=$JAR) CACHE_OF RSS_OF STARTS_OF
for side in before after; do
  CACHE_OF[$side]=$(jvm_cache_file "$WORK/$side")
  train "${JAR_OF[$side]}" "${CACHE_OF[$side]}"
done

for ((round = 1; round <= ROUNDS; round++)); do
  sides=(before after); ((round % 2 == 0)) && sides=(after before)
  for side in "${sides[@]}"; do
    echo "Round $round of $ROUNDS: $side (${JAR_OF[$side]})"
    JAR=${JAR_OF[$side]}
    cache_options "${CACHE_OF[$side]}"
    sql "DROP DATABASE donut; CREATE DATABASE donut;"
    start_app 1 "${CACHE_OPTS[@]}"
    seed_products
    warm_up
    measure_one_replica "$side-$round-"
    RSS_OF[$side-$round]=$(($(awk '/VmHWM/ {print $2}' "/proc/${APP_PID[1]}/status") / 1024))
    for ((i = 1; i <= STARTS; i++)); do
      start_app 3 "${CACHE_OPTS[@]}"; STARTS_OF[$side]+="$SERVING_MS "; stop_app 3
    done
    stop_app 1
    mv "$WORK/app-1.log" "$WORK/app-1-$side-$round.log"
    [[ ! -f $WORK/app-3.log ]] || mv "$WORK/app-3.log" "$WORK/app-3-$side-$round.log"
  done
done

# values SIDE METRIC RUN: the metric of RUN in every round, in round order.
values() {
  local side=$1 metric=$2 run=$3 r
  for ((r = 1; r <= ROUNDS; r++)); do
    case $metric in
      rps) printf '%s ' "${RPS[$side-$r-$run]}" ;;
      p99) printf '%s ' "${P99[$side-$r-$run]}" ;;
      cpu) printf '%s ' "${CPU_US[$side-$r-$run]}" ;;
    esac
  done
}
change() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.0f %%", (a > 0) ? (b - a) * 100 / a : 0}'; }
row() { # LABEL VALUES_BEFORE VALUES_AFTER UNIT
  local before after
  before=$(median $2); after=$(median $3)
  echo "| $1 | $before$4 ($(echo $2 | sed 's/ /, /g')) | $after$4 ($(echo $3 | sed 's/ /, /g')) | $(change "$before" "$after") |"
}
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
stamp=$(date +%Y-%m-%dT%H%M)
label=$(basename "$BASELINE" .jar)
out="bench/results/$stamp-compare-$label.md"
{
  echo "### Comparison $(date '+%Y-%m-%d %H:%M %Z'): before = $BASELINE, after = $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ' with uncommitted changes')"
  echo
  echo "$(nproc) cores, load average $load_start at start and $load_end at the end (1, 5, 15 min);" \
    "MariaDB $DB_VERSION with innodb_flush_log_at_trx_commit=1; $(jvm_describe | cut -d, -f1);" \
    "wrk with $(nproc) threads, ${SECONDS_PER_RUN} s per run after ${WARMUP_SECONDS} s warm-up of each kind;" \
    "$ROUNDS rounds, the jars taking turns (before-after, then after-before); JVM options: jvm.options${JAVA_OPTS:+ $JAVA_OPTS}${CACHE_OPTS[*]:+, each jar from the $(jvm_describe | cut -d, -f2- | sed 's/^ //') of its own training run}." \
    "Each cell: the median over the rounds (every round's value). App CPU is replica 1's user + system time per answered request."
  echo
  echo "| metric | before | after | change |"
  echo "|---|---|---|---|"
  for run in live reads hot-16 hot-64 hot-256 uniform-64; do
    case $run in
      live) what="bare HTTP ceiling \`GET /observe/health/live\`, 64 connections" ;;
      reads) what="reads \`GET /api/products/{sku}\`, 64 connections" ;;
      hot-*) what="orders on one SKU, ${run#hot-} connections" ;;
      uniform-64) what="orders over $UNIFORM_SKUS SKUs, 64 connections" ;;
    esac
    row "$what, req/s" "$(values before rps "$run")" "$(values after rps "$run")" ""
    row "$what, p99" "$(values before p99 "$run")" "$(values after p99 "$run")" " ms"
    row "$what, app CPU per request" "$(values before cpu "$run")" "$(values after cpu "$run")" " µs"
  done
  row "launch to first served request, a new replica" "${STARTS_OF[before]}" "${STARTS_OF[after]}" " ms"
  rss_values() { local r; for ((r = 1; r <= ROUNDS; r++)); do printf '%s ' "${RSS_OF[$1-$r]}"; done; }
  row "peak RSS (VmHWM) of replica 1 after its load" "$(rss_values before)" "$(rss_values after)" " MB"
  echo "| books of every order run | $($books_ok && echo pass || echo FAIL) | | |"
} | tee "$out"
echo
echo "Written to $out; logs in $LOGS/"
$books_ok || { echo "bench: THE BOOKS DO NOT BALANCE, OR A RUN HAD ERRORS" >&2; exit 1; }
exit 0
