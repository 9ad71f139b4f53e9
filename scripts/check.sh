#!/usr/bin/env bash
# Formatting and both clippies (server and browser builds): `make check`.
set -euo pipefail
cd "$(dirname "$0")/.."
export SQLX_OFFLINE=true
cargo fmt --check
cargo clippy --features ssr --all-targets -- -D warnings
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
