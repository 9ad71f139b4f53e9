#!/usr/bin/env bash
# Regenerates .sqlx (the queries' offline data) against the migrated `hms`
# database of the kept test cluster: `make sqlx-prepare`, after changing a
# query!/query_as! or a migration. Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL DATABASE_OWNER_URL
export SQLX_OFFLINE=true
TARGET_DIR=${CARGO_TARGET_DIR:-target}
hms="$TARGET_DIR/debug/hms"
source scripts/lib/cluster.sh
build_debug
dev_cluster
"$hms" migrate >/dev/null
SQLX_OFFLINE=false DATABASE_URL=$("$hms" db url hms) \
  cargo sqlx prepare -- --all-targets --features ssr
