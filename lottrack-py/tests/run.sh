#!/usr/bin/env bash
# Builds the lottrack wheel, installs it into a virtualenv and runs the Python
# tests against it: mypy's stubtest (the .pyi stubs match the built module), then
# the pytest suite (warnings are errors; its summary is the last line).
#
#   bash lottrack-py/tests/run.sh
#
# The virtualenv is target/py-venv (reused when present); the wheel goes to
# target/wheels. LOTTRACK_PY_FEATURES selects cargo features (default: postgres, so
# the PostgreSQL tests run when LOTTRACK_TEST_PG names a server; "" builds without).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO="$(pwd)"
VENV="$REPO/target/py-venv"
FEATURES="${LOTTRACK_PY_FEATURES-postgres}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating virtualenv $VENV"
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install -q --disable-pip-version-check maturin pytest pandas mypy

echo "== building the wheel (features: ${FEATURES:-none})"
rm -f target/wheels/lottrack-*.whl
build=(build --release -m lottrack-py/Cargo.toml -o target/wheels)
if [ -n "$FEATURES" ]; then build+=(--features "$FEATURES"); fi
"$VENV/bin/maturin" "${build[@]}"
"$PY" -m pip install -q --disable-pip-version-check --force-reinstall target/wheels/lottrack-*.whl

status=0
echo "== stubtest: python -m mypy.stubtest lottrack"
(cd "$REPO/target" && "$PY" -m mypy.stubtest lottrack) || status=$?

echo "== pytest lottrack-py/tests"
cd "$REPO/lottrack-py"
"$PY" -m pytest -p no:cacheprovider tests || status=$?
exit "$status"
