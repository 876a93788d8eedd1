#!/usr/bin/env bash
# A/B of two builds of ingest_probe on this noisy VM: runs them alternately,
# one round each, N times, and prints each one's median and best events/s.
#
#   git stash / checkout the old code; cargo build --release -p lottrack-benches --example ingest_probe
#   cp target/release/examples/ingest_probe /tmp/probe_old
#   (the new code) … cp target/release/examples/ingest_probe /tmp/probe_new
#   bash benches/ab_probe.sh /tmp/probe_old /tmp/probe_new 15 sqlite   # STORE: sqlite | sqlite-normal | memory
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OLD_PROBE NEW_PROBE [N=10] [STORE=memory]" >&2
  exit 2
fi
old="$1"; new="$2"; n="${3:-10}"; store="${4:-memory}"
[ "$store" = memory ] && store=""
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq 1 "$n"); do
  for side in old new; do
    bin=$old; [ $side = new ] && bin=$new
    STORE=$store ROUNDS=1 "$bin" 2>/dev/null | awk '/ev\/s/ {print $6}' >> "$out/$side"
  done
done
for side in old new; do
  sort -n "$out/$side" | awk -v s=$side '{a[NR]=$1} END {printf "%s: median %d best %d ev/s (n=%d)\n", s, a[int((NR+1)/2)], a[NR], NR}'
done
