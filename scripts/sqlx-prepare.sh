#!/usr/bin/env bash
# Regenerates .sqlx (the queries' offline data) against the migrated `hms`
# database of the kept test cluster: `make sqlx-prepare`, after changing a
# query!/query_as! or a migration. Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster.sh
on_dev_cluster
"$hms" migrate >/dev/null
SQLX_OFFLINE=false DATABASE_URL=$("$hms" db url hms) \
  cargo sqlx prepare -- --all-targets --features ssr
