# Sourced by run.sh, bench/run.sh and deploy/aot-training.sh (the image's training run): which
# java runs the app, and the options that let it start from a cache of what an earlier run of the
# same jar loaded.
#
# APP_JAVA names the java binary. Without it: Temurin 25 where it is installed
# (/usr/lib/jvm/temurin-25-jdk-amd64), else the java on PATH. The jar is Java 17 bytecode
# (pom.xml), so JDK 17 runs it too.
#
# Java 25 and later keep an ahead-of-time (AOT) cache: the classes a training run loaded,
# already parsed and linked, and the profiles of the methods it ran, written when that run ends.
# Earlier JDKs keep a class-data-sharing archive of the loaded classes instead (README, Running in
# production). Either is tied to one jar and one JVM build; with another, the JVM warns and
# starts without it.

# Sets APP_JAVA and APP_JAVA_FEATURE (17, 25, ...).
jvm_select() {
  if [[ -z ${APP_JAVA:-} ]]; then
    APP_JAVA=java
    [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]] && APP_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  fi
  APP_JAVA_FEATURE=$("$APP_JAVA" -XshowSettings:properties -version 2>&1 \
    | awk -F' = ' '$1 ~ /java\.specification\.version/ {print $2}')
  [[ $APP_JAVA_FEATURE =~ ^[0-9]+$ ]] || { echo "$APP_JAVA does not look like a JDK or JRE" >&2; return 1; }
}

jvm_has_aot() { ((APP_JAVA_FEATURE >= 25)); }

# jvm_cache_file PATH_WITHOUT_EXTENSION: where the selected JVM's cache goes (.aot or .jsa).
jvm_cache_file() {
  if jvm_has_aot; then echo "$1.aot"; else echo "$1.jsa"; fi
}

# jvm_record_option FILE: the option that makes this run the training run, writing FILE when it ends.
jvm_record_option() {
  if jvm_has_aot; then echo "-XX:AOTCacheOutput=$1"; else echo "-XX:ArchiveClassesAtExit=$1"; fi
}

# jvm_use_option FILE: the option that starts this run from FILE.
jvm_use_option() {
  if jvm_has_aot; then echo "-XX:AOTCache=$1"; else echo "-XX:SharedArchiveFile=$1"; fi
}

# jvm_describe: one line for logs and benchmark tables.
jvm_describe() {
  echo "$("$APP_JAVA" -version 2>&1 | head -1), $(jvm_has_aot && echo "AOT cache" || echo "class-data-sharing archive")"
}

# jvm_train BASE_URL ADMIN_TOKEN: what a training run serves before it stops, the requests a new
# replica serves first: product reads, orders (of a product of its own, with stock to spare),
# health and metrics. curl's URL ranges send each batch over one connection; the app ignores the
# query parameter that numbers them.
jvm_train() {
  local base=$1 token=$2 path
  curl -fsS -o /dev/null -X PUT "$base/api/products/AOT-TRAINING" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d '{"name":"Training donut","price":1.00,"stock":1000000,"factoryId":"factory_01","restockQuantity":100}'
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"sku":"AOT-TRAINING","quantity":1}' \
    "$base/api/orders?n=[1-500]"
  for path in "/api/products/AOT-TRAINING?n=[1-500]" "/api/products?n=[1-20]" "/observe/health/live?n=[1-50]" \
    "/observe/metrics?n=[1-5]"; do
    curl -fsS -o /dev/null "$base$path"
  done
  # Readiness answers 503 while a dependency is down; it is trained either way.
  curl -sS -o /dev/null "$base/observe/health/ready?n=[1-50]"
}
