#!/usr/bin/env bash
# The Playwright suite against a release build: `make e2e [T=filter]`.
# Inside `make test` it runs on that run's cluster (--no-build: the release
# is built already); on its own it builds and uses the kept test cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster.sh
if [ "${1:-}" = --no-build ]; then
  shift
else
  on_dev_cluster
  cargo leptos build --release --precompress
fi
# A fresh database for the servers Playwright starts.
psql -q "$("$hms" db url --role admin postgres)" -c 'set client_min_messages = warning' \
  -c 'drop database if exists hms_e2e with (force)'
"$hms" db create hms_e2e >/dev/null
export E2E_DATABASE_URL=$("$hms" db url --role app hms_e2e)
export E2E_DATABASE_OWNER_URL=$("$hms" db url --role owner hms_e2e)
export HMS_BIN="$TARGET_DIR/release/hms"
status=0
npx playwright test --config end2end/playwright.config.ts "$@" || status=$?
# CI keeps only the end of a run's output: repeat each failure's error (the
# expectation and what was received, e.g. axe's violations) last.
if [ "$status" -ne 0 ]; then
  for ctx in end2end/test-results/*/error-context.md; do
    [ -f "$ctx" ] || continue
    echo "── $(sed -n 's/^- Name: //p' "$ctx")"
    awk '/^# Error details/{on=1; next} on && /^# /{exit} on' "$ctx" | grep -v '^\s*$' | head -25
  done
fi
exit "$status"
