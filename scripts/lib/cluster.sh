# Sourced by the test scripts: the PostgreSQL cluster tests run against, and
# the environment the tests read. Sourcing it sets TARGET_DIR and $hms (the
# debug binary, which build_debug makes) and makes queries check offline.
#   throwaway_cluster   a cluster for this run only, removed when the script exits
#   dev_cluster         one kept running between runs, under $TARGET_DIR/test-cluster

TARGET_DIR=${CARGO_TARGET_DIR:-target}
hms="$TARGET_DIR/debug/hms"
export SQLX_OFFLINE=true
# Tests use the cluster, never a database from the caller's environment.
unset DATABASE_URL DATABASE_OWNER_URL

# The debug build of hms and the tests, in one cargo invocation: `cargo test`
# builds the hms binary too (with dev-dependencies' features), and a separate
# `cargo build --bin hms` would rebuild it each time the two alternate.
build_debug() {
  cargo test --features ssr --lib --bins --tests --no-run
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Test clusters do not flush to disk: their data is worth nothing after a
# crash, and on a busy machine (a cold build leaves gigabytes to write) one
# commit's fsync has waited long enough to time a page out. The bench keeps
# the durable default, so its figures are a real server's.
test_cluster_start() {
  HMS_EMBEDDED_PG_DURABLE=false "$hms" db start >/dev/null
}

cluster_env() {
  export HMS_TEST_DATABASE_URL=$("$hms" db url --role admin postgres)
}

throwaway_cluster() {
  # World-searchable so that PostgreSQL's own account can reach it when we
  # run as root.
  pg_dir=$(mktemp -d /tmp/hms-test-pg.XXXXXX)
  chmod 755 "$pg_dir"
  export HMS_DATA_DIR=$pg_dir
  export HMS_EMBEDDED_PG_PORT=$(free_port)
  trap '"$hms" db stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
  test_cluster_start
  cluster_env
}

dev_cluster() {
  export HMS_DATA_DIR=$TARGET_DIR/test-cluster
  mkdir -p "$HMS_DATA_DIR"
  chmod 755 "$HMS_DATA_DIR"
  # The port is chosen once and kept with the cluster.
  if [ ! -f "$HMS_DATA_DIR/port" ]; then free_port >"$HMS_DATA_DIR/port"; fi
  export HMS_EMBEDDED_PG_PORT=$(cat "$HMS_DATA_DIR/port")
  test_cluster_start
  cluster_env
}

# The debug build, then the kept cluster: what the development targets need.
on_dev_cluster() {
  build_debug
  dev_cluster
}
