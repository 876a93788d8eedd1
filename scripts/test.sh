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

echo "== EPCIS hash oracle: GS1's epcis-event-hash-generator, compared with ours in the tests"
if [ ! -x target/epcis-venv/bin/python ]; then python3 -m venv target/epcis-venv; fi
target/epcis-venv/bin/pip install -q --disable-pip-version-check epcis-event-hash-generator==1.9.3
export LOTTRACK_EPCIS_HASH_PY="$PWD/target/epcis-venv/bin/python"

echo "== Rust: cargo test --workspace --all-features"
cargo test --workspace --all-features --exclude lottrack-py

echo "== C: lottrack-ffi/tests/run.sh"
bash lottrack-ffi/tests/run.sh

echo "== Python: lottrack-py/tests/run.sh"
bash lottrack-py/tests/run.sh
