#!/usr/bin/env bash
# Every check, in the order that fails fastest. Needs scripts/install-deps.sh test.
# Starts a throwaway PostgreSQL cluster for the run and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster.sh
summary=()

step() {
  local name=$1; shift
  printf '\n==> %s\n' "$name"
  local start=$SECONDS
  "$@"
  summary+=("$(printf '%-28s %4ss' "$name" $((SECONDS - start)))")
}

step "format and clippy" scripts/check.sh
step "build hms and tests (debug)" build_debug
step "start test PostgreSQL" throwaway_cluster

# .sqlx must match the queries: prepare against a migrated database and compare.
"$hms" migrate >/dev/null
step "sqlx offline data" env SQLX_OFFLINE=false DATABASE_URL="$("$hms" db url hms)" \
  cargo sqlx prepare --check -- --all-targets --features ssr

step "unit + integration tests" cargo test --features ssr --lib --bins --tests --no-fail-fast

step "release build" cargo leptos build --release --precompress
step "end-to-end (Chromium)" scripts/e2e.sh --no-build
step "API: outside client, fuzzing" scripts/api-check.sh --no-build

printf '\n==> summary\n'
printf '%s\n' "${summary[@]}"
