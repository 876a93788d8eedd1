#!/usr/bin/env bash
# Runs every test of lottrack: Rust (unit, integration, property and doc tests of
# every crate, the PostgreSQL store's tests when LOTTRACK_TEST_PG names a server),
# C (the C library's test programs under valgrind) and Python (pytest + stubtest
# against the built wheel).
#
#   bash scripts/test.sh
#
# Without LOTTRACK_TEST_PG the PostgreSQL tests print a skip message; `.ci/run`
# starts a local server and sets it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: cargo test --workspace --all-features"
cargo test --workspace --all-features --exclude lottrack-py

echo "== C: lottrack-ffi/tests/run.sh"
bash lottrack-ffi/tests/run.sh

echo "== Python: lottrack-py/tests/run.sh"
bash lottrack-py/tests/run.sh
