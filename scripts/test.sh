#!/usr/bin/env bash
# scripts/test.sh: installs what the tests need, then runs go vet and the race-enabled test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v aws >/dev/null 2>&1 || need+=(awscli)
[ -x /usr/sbin/unbound ] || command -v unbound >/dev/null 2>&1 || need+=(unbound)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
    # The Debian package starts a system resolver; the tests run their own.
    if [[ " ${need[*]} " == *" unbound "* ]]; then
      (systemctl disable --now unbound || service unbound stop || pkill -x unbound) >/dev/null 2>&1 || true
    fi
  else
    echo "scripts/test.sh: missing ${need[*]}; install them (apt-get install ${need[*]})" >&2
  fi
fi
if ! command -v aws >/dev/null 2>&1; then
  echo "scripts/test.sh: the aws CLI is not installed; the tests that drive it will be skipped" >&2
fi

go vet ./...
go test -race -count=1 -timeout 15m ./...
