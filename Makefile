# HMS: two commands for a newcomer, `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

.PHONY: help run test bench build deps-run deps-test deps-bench

help:
	@echo "make run    install what is missing, build, and serve HMS with demo data"
	@echo "make test   install what is missing, then run every check"
	@echo "make bench  build a release and measure start-up, throughput and sizes"

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

# The release build: server binary, WASM bundle and CSS, with hashed names.
build:
	SQLX_OFFLINE=true cargo leptos build --release

run: deps-run build
	@HMS_DEMO_DATA=$${HMS_DEMO_DATA:-if-empty} HMS_SITE_ROOT=$${HMS_SITE_ROOT:-target/site} \
		exec $(TARGET_DIR)/release/hms serve

test: deps-test
	@scripts/test.sh

bench: deps-bench build
	@scripts/bench.sh
