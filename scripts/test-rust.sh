#!/usr/bin/env bash
# The Rust tests against a test cluster kept running between runs:
# `make test-rust [T=filter]`. The first run starts the cluster (under
# $CARGO_TARGET_DIR/test-cluster); later ones reuse it. Each test makes its
# own database and drops it when it passes; `make test-cluster-stop` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster.sh
on_dev_cluster
# --lib --bins --tests: everything but doc tests (HMS has none), which cost a rustdoc run.
exec cargo test --features ssr --lib --bins --tests -- "$@"
