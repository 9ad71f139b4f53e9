# HMS: two commands for a newcomer, `make run` and `make test` (see README.md);
# the others are the development loop (README.md, "Developing").
SHELL := /bin/bash
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
# A test name filter for test-rust and e2e: `make test-rust T=portal`.
T ?=

.PHONY: help run test bench build check fmt test-rust e2e api-check sqlx-prepare test-cluster-stop \
	deps-run deps-test deps-bench

help:
	@echo "make run           install what is missing, build, and serve HMS with demo data"
	@echo "make test          install what is missing, then run every check"
	@echo "make bench         build a release and measure start-up, throughput and sizes"
	@echo "make check         formatting (rustfmt, leptosfmt) and both clippies"
	@echo "make fmt           format the Rust code and its view! macros"
	@echo "make test-rust     Rust tests on a kept test cluster; T=filter runs some"
	@echo "make e2e           release build and Playwright; T=filter runs some specs"
	@echo "make api-check     release build, then the API's Python client and schemathesis"
	@echo "make sqlx-prepare  regenerate .sqlx after changing a query or migration"

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

# The release build: server binary, WASM bundle and CSS, with hashed names,
# and each static file brotli- and gzip-compressed once, at the best level,
# rather than on every request.
build:
	SQLX_OFFLINE=true cargo leptos build --release --precompress

run: deps-run build
	@HMS_DEMO_DATA=$${HMS_DEMO_DATA:-if-empty} HMS_SITE_ROOT=$${HMS_SITE_ROOT:-target/site} \
		exec $(TARGET_DIR)/release/hms serve

test: deps-test
	@scripts/test.sh

bench: deps-bench build
	@scripts/bench.sh

check: deps-test
	@scripts/check.sh

# leptosfmt first: rustfmt leaves view! macros alone, and has the last word elsewhere.
fmt: deps-test
	leptosfmt --quiet src
	cargo fmt

test-rust: deps-test
	@scripts/test-rust.sh $(T)

e2e: deps-test
	@scripts/e2e.sh $(T)

api-check: deps-test
	@scripts/api-check.sh

sqlx-prepare: deps-test
	@scripts/sqlx-prepare.sh

# Stops the cluster test-rust, e2e and sqlx-prepare keep running.
test-cluster-stop:
	@HMS_DATA_DIR=$(TARGET_DIR)/test-cluster $(TARGET_DIR)/debug/hms db stop
