#!/usr/bin/env bash
# Installs what HMS needs to build, run, test or benchmark, skipping whatever
# is already present, so a second run takes a second or two.
#   scripts/install-deps.sh run|test|bench
set -euo pipefail
mode=${1:-run}
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
SQLX_CLI_VERSION=0.9.0
LEPTOSFMT_VERSION=0.1.33
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)

log() { printf '==> %s\n' "$*" >&2; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ "$apt_updated" = 0 ]; then sudo_if_needed apt-get update -qq; apt_updated=1; fi
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- system packages -------------------------------------------------------
command -v cc >/dev/null || apt_install build-essential
command -v pkg-config >/dev/null || apt_install pkg-config
command -v npm >/dev/null || apt_install nodejs npm
command -v python3 >/dev/null || apt_install python3
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  apt_install postgresql
fi
# PostgreSQL will not run as root; the embedded cluster runs as this account then.
if [ "$(id -u)" = 0 ] && ! id "${HMS_EMBEDDED_PG_USER:-postgres}" >/dev/null 2>&1; then
  log "creating the unprivileged account ${HMS_EMBEDDED_PG_USER:-postgres} for PostgreSQL"
  useradd --system --no-create-home --shell /usr/sbin/nologin "${HMS_EMBEDDED_PG_USER:-postgres}"
fi
case "$mode" in
  # aiosmtpd: the SMTP server the mail tests deliver to (for /usr/bin/python3);
  # psql: Playwright tests put fixtures the UI cannot yet create.
  # python3-venv: the API's outside clients (schemathesis, httpx) get a venv.
  test)
    apt_install chromium python3-aiosmtpd python3-venv
    command -v psql >/dev/null || apt_install postgresql-client
    ;;
  bench) apt_install wrk brotli bc curl; command -v psql >/dev/null || apt_install postgresql-client ;;
esac

# --- Rust toolchain and cargo tools ----------------------------------------
if ! command -v cargo >/dev/null; then
  echo "Rust is not installed: install it with rustup (https://rustup.rs), then run make again." >&2
  exit 1
fi
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
  # Its own release profile uses fat LTO, which takes ~40 min on two cores.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock)"
  # Not --locked: the registry lacks one of its locked dependencies.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ "$mode" = test ] && ! cargo sqlx --version 2>/dev/null | grep -q " $SQLX_CLI_VERSION\$"; then
  log "installing sqlx-cli $SQLX_CLI_VERSION"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install sqlx-cli --locked --version "$SQLX_CLI_VERSION" \
    --no-default-features --features postgres,rustls,sqlx-toml
fi

if [ "$mode" = test ] && ! leptosfmt --version 2>/dev/null | grep -q " $LEPTOSFMT_VERSION\$"; then
  log "installing leptosfmt $LEPTOSFMT_VERSION (formats view! macros; make check)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install leptosfmt --locked --version "$LEPTOSFMT_VERSION"
fi

# --- npm: Tailwind, wasm-opt (binaryen), Playwright, axe-core ------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages from package-lock.json"
  # Not `npm ci`: npm 11 leaves other platforms' optional packages (Tailwind's
  # native binaries) out of the lock file and then refuses it. Versions are
  # pinned exactly in package.json and the lock, and --no-save changes neither.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund --loglevel=error
fi

# --- PyPI: the API's outside clients (scripts/api-check.sh) ------------------
# In a venv of their own under target/, pinned, reinstalled when this list
# changes.
API_CLIENT_PACKAGES="schemathesis==4.32.* httpx==0.28.*"
api_venv=${CARGO_TARGET_DIR:-target}/api-venv
if [ "$mode" = test ] && [ "$(cat "$api_venv/.packages" 2>/dev/null)" != "$API_CLIENT_PACKAGES" ]; then
  log "installing the API clients ($API_CLIENT_PACKAGES) into $api_venv"
  python3 -m venv "$api_venv"
  # shellcheck disable=SC2086
  "$api_venv/bin/pip" install --quiet --disable-pip-version-check $API_CLIENT_PACKAGES
  echo "$API_CLIENT_PACKAGES" >"$api_venv/.packages"
fi
