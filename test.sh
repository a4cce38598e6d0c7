#!/usr/bin/env bash
# The tests, as CI runs them: route tests, the jar, then end-to-end tests on real parts.
# What they need besides a JDK 17, Maven, Node 20 and npm is installed here when missing: Debian's
# HAProxy, aws CLI and socat (with apt-get, as root; otherwise it says what to install), the pinned SNS/SQS
# emulator and newman. Arguments go to Maven (./test.sh -Dit.test=FullRestockCycleIT).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[[ -x /usr/sbin/haproxy || -x /usr/bin/haproxy ]] || missing+=(haproxy)
command -v aws > /dev/null || missing+=(awscli)
command -v socat > /dev/null || missing+=(socat)
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null; then
    echo "Installing ${missing[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  else
    echo "The end-to-end tests need the Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 2
  fi
fi

[[ -d localstack/node_modules/fauxqs ]] || npm ci --prefix localstack --no-audit --no-fund --silent
[[ -d postman/node_modules/newman ]] || npm ci --prefix postman --no-audit --no-fund --silent
exec mvn -B verify "$@"
