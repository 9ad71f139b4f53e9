#!/usr/bin/env bash
# Formatting (rustfmt, and leptosfmt for view! macros) and both clippies
# (server and browser builds): `make check`.
set -euo pipefail
cd "$(dirname "$0")/.."
export SQLX_OFFLINE=true
cargo fmt --check
# Quiet: run `make fmt` (leptosfmt src, then cargo fmt) to fix what it finds.
leptosfmt --check --quiet src
cargo clippy --features ssr --all-targets -- -D warnings
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
