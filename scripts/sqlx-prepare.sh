#!/usr/bin/env bash
# Regenerates .sqlx (the queries' offline data) against the migrated `hms`
# database of the kept test cluster: `make sqlx-prepare`, after changing a
# query!/query_as! or a migration. Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster.sh
# A new query has no offline data yet, so the build that starts the cluster
# cannot be offline: start it with the binary there is (or build one if the
# checkout has none), and apply the migrations with sqlx-cli as the owner
# role: that binary may predate a migration, or (built from another branch)
# lack one the database has.
#
# Always a freshly made, empty database, as `make test`'s check has: sqlx
# infers nullability from query plans, and rows (demo data, say) can turn
# an outer join around and change what it writes.
[ -x "$hms" ] || build_debug
dev_cluster
psql -qX -v ON_ERROR_STOP=1 "$("$hms" db url --role admin postgres)" \
  -c "drop database if exists hms_sqlx with (force)" >/dev/null
"$hms" db create hms_sqlx >/dev/null
cargo sqlx migrate run --source migrations --database-url "$("$hms" db url --role owner hms_sqlx)"
SQLX_OFFLINE=false DATABASE_URL=$("$hms" db url hms_sqlx) \
  cargo sqlx prepare -- --all-targets --features ssr
