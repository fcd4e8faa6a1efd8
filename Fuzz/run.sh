#!/usr/bin/env bash
# Builds every fuzz target with libFuzzer and AddressSanitizer and runs each in turn, one at a
# time, from the committed seed corpus; prints target / executions / exec/s / crashes.
#
#   Fuzz/run.sh            # 1,000,000 runs per target (capped at MAX_TIME seconds each)
#   Fuzz/run.sh 2000       # CI-sized
#   TARGETS="fuzz-sav" MAX_TIME=60 Fuzz/run.sh 100000
#
# New corpus entries go to a scratch folder, never to Fuzz/Corpus. A crashing input is copied to
# Fuzz/Crashes/<target>/ and its log kept next to it; the script exits 1 when there was one.
set -uo pipefail
RUNS="${1:-1000000}"
MAX_TIME="${MAX_TIME:-360}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
SCRATCH="$ROOT/.build-fuzz"
TARGETS="${TARGETS:-fuzz-export fuzz-codebook fuzz-spec fuzz-targets fuzz-kpis fuzz-sav}"
FLAGS=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)

cd "$HERE"
swift build -c release --scratch-path "$SCRATCH" "${FLAGS[@]}" || exit 2
BIN="$SCRATCH/release"

# Let libFuzzer and ASan report a crash: the Swift runtime's backtracer would otherwise take
# over the signal (and can keep the output pipe open for its 30-second timeout).
export SWIFT_BACKTRACE=enable=no
export SURVEYKIT_ROOT="$ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/surveykit-fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export TMPDIR="$WORK"

found=0
printf '%-14s %12s %10s %8s\n' target executions exec/s crashes
for target in $TARGETS; do
  mkdir -p "$WORK/$target/new" "$WORK/$target/artifacts"
  log="$WORK/$target/log"
  "$BIN/$target" -runs="$RUNS" -max_total_time="$MAX_TIME" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$WORK/$target/artifacts/" \
    "$WORK/$target/new" "$HERE/Corpus/$target" >"$log" 2>&1
  # The last status line: "#1000000 DONE cov: … exec/s: 1234 rss: …" (or the last pulse).
  last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  execs="$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')"
  [ -n "$execs" ] || execs="$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")"
  rate="$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}')"
  [ -n "$rate" ] || rate="$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$last")"
  crashes=0
  for artifact in "$WORK/$target/artifacts/"*; do
    [ -e "$artifact" ] || continue
    crashes=$((crashes + 1))
    mkdir -p "$HERE/Crashes/$target"
    cp "$artifact" "$HERE/Crashes/$target/"
    cp "$log" "$HERE/Crashes/$target/$(basename "$artifact").log"
  done
  [ "$crashes" -eq 0 ] || found=1
  printf '%-14s %12s %10s %8s\n' "$target" "${execs:-?}" "${rate:-?}" "$crashes"
done
exit "$found"
