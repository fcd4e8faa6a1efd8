#!/usr/bin/env bash
# Measures `survey check` on the bundled sample and on a generated large file: wall time, peak
# memory, rows per second and bytes of memory per row. Fails when a target is missed.
# Not run by `swift test` or CI (timing belongs here, not in unit tests).
#
#   Benchmarks/run.sh [ROWS]            # default 1,000,000 rows
#
# Targets (2-core CI machine, release build), on both large files (UTF-8 and CP932): at least
# MIN_ROWS_PER_SECOND rows/s and at most MAX_BYTES_PER_ROW bytes of memory per row, counted above
# the peak of the 1,200-row sample (the runtime's own baseline), so the figure does not depend on
# the file's size.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
MIN_ROWS_PER_SECOND=${MIN_ROWS_PER_SECOND:-100000}
MAX_BYTES_PER_ROW=${MAX_BYTES_PER_ROW:-250}
codebook=codebooks/citizen-survey-2019.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product survey >/dev/null 2>&1
survey=.build/release/survey

measure() {  # file encoding-flag...
  local file=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$survey" check "$file" --codebook "$codebook" "$@" \
    >"$work/out" || [ $? -eq 1 ]
  read -r seconds kilobytes <"$work/time"
  local read_rows
  read_rows=$(grep -o 'rows read [0-9,]*' "$work/out" | tr -dc '0-9')
  python3 - "$file" "$seconds" "$kilobytes" "$read_rows" <<'PY'
import sys
name, seconds, kilobytes, rows = sys.argv[1].split("/tmp.")[-1].split("/")[-1] if "/tmp" in sys.argv[1] else sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rate = rows / seconds if seconds > 0 else float("inf")
print(f"{name}: {rows:,} rows in {seconds:.2f} s = {rate:,.0f} rows/s; "
      f"peak {kilobytes / 1024:.1f} MiB = {kilobytes * 1024 / rows:,.0f} bytes/row")
PY
  echo "$seconds $kilobytes $read_rows" >"$work/last"
}

measure samples/citizen-survey-2019.csv
measure samples/citizen-survey-2019-cp932.csv

python3 Benchmarks/generate_large.py --rows "$rows" --out "$work/large.csv" >/dev/null 2>&1
python3 Benchmarks/generate_large.py --rows "$rows" --out "$work/large-cp932.csv" --encoding cp932 >/dev/null 2>&1
measure samples/citizen-survey-2019.csv >/dev/null
read -r _ baseline _ <"$work/last"
status=0
for file in "$work/large-cp932.csv" "$work/large.csv"; do
  measure "$file"
  read -r seconds kilobytes read_rows <"$work/last"
  python3 - "$seconds" "$kilobytes" "$read_rows" "$baseline" "$MIN_ROWS_PER_SECOND" "$MAX_BYTES_PER_ROW" <<'PY' || status=1
import sys
seconds, kilobytes, rows, baseline = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
min_rate, max_bytes = float(sys.argv[5]), float(sys.argv[6])
rate, per_row = rows / seconds, (kilobytes - baseline) * 1024 / rows
ok = rate >= min_rate and per_row <= max_bytes
print(f"  {per_row:,.0f} bytes/row above the {baseline / 1024:.1f} MiB baseline; "
      f"targets >= {min_rate:,.0f} rows/s, <= {max_bytes:,.0f} bytes/row: {'met' if ok else 'MISSED'}")
sys.exit(0 if ok else 1)
PY
done
exit $status
