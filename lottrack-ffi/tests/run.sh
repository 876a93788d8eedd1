#!/usr/bin/env bash
# The C library's tests, from the outside, as a C user builds them:
#   1. builds liblottrack (release) and checks include/lottrack.h is current;
#   2. compiles the header alone as C11 and as C++17;
#   3. compiles every tests/c/test_*.c and examples/quickstart.c against
#      include/ and liblottrack.so (rpath set), one test also statically against
#      liblottrack.a, and any ```c block of README.md;
#   4. runs each under valgrind (errors and definite/indirect/possible leaks fail).
# The last line is "N passed, M failed": N sums the C test programs' passed
# tests, M their failed tests plus every failed step (build, header, valgrind …).
#
#   bash lottrack-ffi/tests/run.sh        (from anywhere)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
LIBDIR="$TARGET/release"
OUT="$TARGET/ffi-tests"
TESTS="$ROOT/lottrack-ffi/tests/c"
mkdir -p "$OUT"

CC="${CC:-gcc}"
CXX="${CXX:-g++}"
CFLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic -g -I"$ROOT/include" -I"$TESTS")
LDSHARED=(-L"$LIBDIR" -llottrack -Wl,-rpath,"$LIBDIR" -pthread)
# From `cargo rustc --release -p lottrack-ffi -- --print native-static-libs`.
LDSTATIC=("$LIBDIR/liblottrack.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl)
VALGRIND=(valgrind -q --error-exitcode=99 --leak-check=full
  --errors-for-leak-kinds=definite,indirect,possible
  --show-leak-kinds=definite,indirect,possible)
if [ -f "$ROOT/lottrack-ffi/tests/valgrind.supp" ]; then
  VALGRIND+=(--suppressions="$ROOT/lottrack-ffi/tests/valgrind.supp")
fi

passed=0
failed=0
step_failed() {
  echo "FAILED: $*"
  failed=$((failed + 1))
}

if ! command -v valgrind >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing valgrind"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
  else
    echo "valgrind is missing (install it: apt-get install valgrind)" >&2
    exit 1
  fi
fi

echo "== cargo build --release -p lottrack-ffi"
cargo build --release -p lottrack-ffi

echo "== header: include/lottrack.h is what cbindgen generates"
if ! cargo test -p lottrack-ffi --test header -q; then
  step_failed "include/lottrack.h is out of date: LOTTRACK_BLESS=1 cargo test -p lottrack-ffi --test header"
fi

echo "== header alone: C11 and C++17"
"$CC" "${CFLAGS[@]}" -c "$TESTS/header_only.c" -o "$OUT/header_only.o" ||
  step_failed "header_only.c does not compile"
"$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic -I"$ROOT/include" \
  -c "$TESTS/header_only.cpp" -o "$OUT/header_only_cpp.o" ||
  step_failed "header_only.cpp does not compile"

# Builds one program; records a failure and returns 1 when it does not compile.
build() {
  local name="$1"
  shift
  if "$CC" "${CFLAGS[@]}" "$@" -o "$OUT/$name"; then
    return 0
  fi
  step_failed "$name does not compile"
  return 1
}

# Runs one test program under valgrind and adds up its summary line.
run_test() {
  local name="$1" log="$OUT/$1.log" rc=0
  echo "== $name (valgrind)"
  "${VALGRIND[@]}" "$OUT/$name" >"$log" 2>&1 || rc=$?
  if [ "$(wc -l <"$log")" -le 300 ]; then
    cat "$log"
  else
    head -n 250 "$log"
    echo "... (the whole output: $log)"
    grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" || true
  fi
  local line
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)"
  if [ -z "$line" ]; then
    step_failed "$name printed no summary line (exit $rc)"
    return
  fi
  local p f
  p="${line%% passed*}"
  f="${line#*, }"
  f="${f%% failed*}"
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    step_failed "$name exited with $rc (99: valgrind found errors or leaks)"
  fi
}

# Runs a program that prints no summary (an example) under valgrind.
run_program() {
  local name="$1" rc=0
  echo "== $name (valgrind)"
  "${VALGRIND[@]}" "$OUT/$name" || rc=$?
  if [ "$rc" -ne 0 ]; then
    step_failed "$name exited with $rc"
  fi
}

for src in "$TESTS"/test_*.c; do
  name="$(basename "$src" .c)"
  if build "$name" "$src" "${LDSHARED[@]}"; then
    run_test "$name"
  fi
done

echo "== static link against liblottrack.a"
if build test_record_static "$TESTS/test_record.c" "${LDSTATIC[@]}"; then
  if ldd "$OUT/test_record_static" | grep -q liblottrack; then
    step_failed "test_record_static is linked to the shared library"
  else
    run_test test_record_static
  fi
fi

echo "== examples/quickstart.c"
if build quickstart "$ROOT/examples/quickstart.c" "${LDSHARED[@]}"; then
  run_program quickstart
fi

# Every ```c block of README.md compiles as written and runs cleanly.
echo "== pkg-config: lottrack.pc for the build tree, quickstart built with it"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
mkdir -p "$OUT/pkgconfig"
sed -e "s|@LIBDIR@|$LIBDIR|" -e "s|@INCLUDEDIR@|$ROOT/include|" -e "s|@VERSION@|$version|" \
  lottrack-ffi/lottrack.pc.in >"$OUT/pkgconfig/lottrack.pc"
if command -v pkg-config >/dev/null; then
  # shellcheck disable=SC2046 # pkg-config prints several words on purpose
  if "$CC" -std=c11 -Wall -Werror examples/quickstart.c \
    $(PKG_CONFIG_PATH="$OUT/pkgconfig" pkg-config --cflags --libs lottrack) \
    -Wl,-rpath,"$LIBDIR" -o "$OUT/quickstart_pc" && "$OUT/quickstart_pc" >/dev/null; then
    echo "quickstart built with \`pkg-config --cflags --libs lottrack\` runs"
  else
    step_failed "quickstart with pkg-config"
  fi
else
  echo "pkg-config not installed: skipped"
fi

rm -f "$OUT"/readme_*
if [ -f README.md ] && grep -q '^```c$' README.md; then
  awk -v out="$OUT/readme_" '
    /^```c$/ { n++; file = out n ".c"; inside = 1; next }
    /^```$/  { inside = 0; next }
    inside   { print > file }
  ' README.md
  for src in "$OUT"/readme_*.c; do
    name="$(basename "$src" .c)"
    echo "== README.md C block: $name"
    if build "$name" "$src" "${LDSHARED[@]}"; then
      run_program "$name"
    fi
  done
else
  echo "== README.md has no \`\`\`c block (nothing to compile)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
