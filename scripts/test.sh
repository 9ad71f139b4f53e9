#!/usr/bin/env bash
# Every check, in the order that fails fastest. Needs scripts/install-deps.sh test.
# Starts a throwaway PostgreSQL cluster for the run and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
# Always the throwaway cluster, never a database from the caller's environment.
unset DATABASE_URL DATABASE_OWNER_URL
export SQLX_OFFLINE=true
target_dir=${CARGO_TARGET_DIR:-target}
hms="$target_dir/debug/hms"
summary=()

step() {
  local name=$1; shift
  printf '\n==> %s\n' "$name"
  local start=$SECONDS
  "$@"
  summary+=("$(printf '%-28s %4ss' "$name" $((SECONDS - start)))")
}

step "format" cargo fmt --check
step "clippy (server)" cargo clippy --features ssr --all-targets -- -D warnings
step "clippy (browser)" cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
step "build hms (debug)" cargo build --features ssr --bin hms

# A throwaway cluster on a free port; world-searchable so that PostgreSQL's
# own account can reach it when we run as root.
pg_dir=$(mktemp -d /tmp/hms-test-pg.XXXXXX)
chmod 755 "$pg_dir"
export HMS_DATA_DIR=$pg_dir
export HMS_EMBEDDED_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() { "$hms" db stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap cleanup EXIT
step "start test PostgreSQL" "$hms" db start
export HMS_TEST_DATABASE_URL=$("$hms" db url --role admin postgres)

# .sqlx must match the queries: prepare against a migrated database and compare.
"$hms" migrate >/dev/null
step "sqlx offline data" env SQLX_OFFLINE=false DATABASE_URL="$("$hms" db url hms)" \
  cargo sqlx prepare --check -- --all-targets --features ssr

step "unit + integration tests" cargo test --features ssr --no-fail-fast

step "release build" cargo leptos build --release
"$hms" db create hms_e2e >/dev/null
export E2E_DATABASE_URL=$("$hms" db url --role app hms_e2e)
export E2E_DATABASE_OWNER_URL=$("$hms" db url --role owner hms_e2e)
export HMS_BIN="$target_dir/release/hms"
step "end-to-end (Chromium)" npx playwright test --config end2end/playwright.config.ts

printf '\n==> summary\n'
printf '%s\n' "${summary[@]}"
