#!/usr/bin/env bash
# Side-by-side whole-process timings of issue 10: `survey` against polars, DuckDB and R survey,
# with two floors (cat to /dev/null, a bare libcsv parse in C), on generated 100k- and 1M-row files.
# Each tool's estimates are checked against SurveyKit's before its time counts.
#
#   Benchmarks/compare.sh                         # 100,000 and 1,000,000 rows
#   SIZES="100000" R_MAX_ROWS=0 Benchmarks/compare.sh
#
# Environment (defaults): SIZES ("100000 1000000"); OUT (/tmp/surveykit-compare), where the data,
# the hyperfine JSON and results.tsv go; RUNS (3) and WARMUP (1) per tool, RUNS_SMALL (5) for files
# under 1M rows; R_RUNS (2 under 1M rows, 1 at 1M); R_MAX_ROWS (1000000: R is not run on larger
# files, 0 = never); R_TIMEOUT (600 s); VENV (/tmp/surveykit-bench-venv, created with polars and
# duckdb from PyPI if missing). Needs Debian's hyperfine, time, libcsv-dev, r-cran-survey, a C
# compiler, Python 3 and Swift. Not run by `swift test` or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"100000 1000000"}
OUT=${OUT:-/tmp/surveykit-compare}
RUNS=${RUNS:-3}; RUNS_SMALL=${RUNS_SMALL:-5}; WARMUP=${WARMUP:-1}
R_MAX_ROWS=${R_MAX_ROWS:-1000000}; R_TIMEOUT=${R_TIMEOUT:-600}
VENV=${VENV:-/tmp/surveykit-bench-venv}
codebook=codebooks/citizen-survey-2019.yaml
spec=Benchmarks/tab-benchmark.yaml
mkdir -p "$OUT"
results=$OUT/results.tsv
log=$OUT/log.txt
: >"$log"
say() { echo "$*" | tee -a "$log" >&2; }

for tool in hyperfine /usr/bin/time cc Rscript python3 swift; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing" >&2; exit 2; }
done
[ -f /usr/include/csv.h ] || { echo "compare.sh: libcsv-dev is missing" >&2; exit 2; }
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q polars duckdb
fi
py=$VENV/bin/python

say "building survey (release, .build-bench) and csv_floor"
swift build -c release --product survey --scratch-path .build-bench >"$OUT/build.log" 2>&1
survey=$PWD/.build-bench/release/survey
cc -O2 -o "$OUT/csv_floor" Benchmarks/csv_floor.c -lcsv

{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "# $(swift --version 2>&1 | head -1); polars $("$py" -c 'import polars; print(polars.__version__)');" \
       "duckdb $("$py" -c 'import duckdb; print(duckdb.__version__)'); $(R --version | head -1);" \
       "survey $(Rscript -e 'cat(format(packageVersion("survey")))'); $(hyperfine --version); libcsv $(dpkg-query -W -f '${Version}' libcsv-dev 2>/dev/null)"
} | tee "$OUT/machine.txt" >&2
printf 'rows\ttool\truns\tmedian_s\tmin_s\tmax_s\tmean_s\trss_kb\tcheck\n' >"$results"

record() {  # rows tool runs json rsslog check
  local rows=$1 tool=$2 runs=$3 json=$4 rsslog=$5 check=$6
  python3 - "$rows" "$tool" "$runs" "$json" "$rsslog" "$check" >>"$results" <<'PY'
import json, sys
rows, tool, runs, path, rsslog, check = sys.argv[1:]
r = json.load(open(path))["results"][0]
rss = max(int(l) for l in open(rsslog) if l.strip().isdigit())
print("\t".join([rows, tool, str(len(r["times"])), f"{r['median']:.6f}", f"{r['min']:.6f}",
                 f"{r['max']:.6f}", f"{r['mean']:.6f}", str(rss), check]))
PY
}

# bench rows tool check runs warmup command... : hyperfine over the command wrapped in GNU time
# (peak RSS of every run; the largest is kept). Output goes to /dev/null (hyperfine's default).
bench() {
  local rows=$1 tool=$2 check=$3 runs=$4 warmup=$5; shift 5
  local tag; tag=$(echo "$rows-$tool" | tr -c 'A-Za-z0-9\n-' '_')
  local rsslog=$OUT/$tag.rss json=$OUT/$tag.json
  : >"$rsslog"
  say "[$rows] $tool: $runs runs (+$warmup warm-up)"
  if hyperfine -N --style basic --runs "$runs" --warmup "$warmup" --export-json "$json" \
       -n "$tool" "/usr/bin/time -f %M -a -o $rsslog $*" >>"$log" 2>&1; then
    record "$rows" "$tool" "$runs" "$json" "$rsslog" "$check"
    return 0
  fi
  return 1
}

for rows in $SIZES; do
  file=$OUT/large-$rows.csv
  say "[$rows] generating $file"
  python3 Benchmarks/generate_large.py --rows "$rows" --out "$file" >>"$log" 2>&1
  if [ "$rows" -ge 1000000 ]; then runs=$RUNS; r_runs=${R_RUNS:-1}; else runs=$RUNS_SMALL; r_runs=${R_RUNS:-2}; fi

  # Floors.
  bench "$rows" "cat > /dev/null" "ok" "$runs" "$WARMUP" cat "$file"
  floor_rows=$("$OUT/csv_floor" "$file" | awk '{print $3}')
  bench "$rows" "libcsv parse (C)" "ok: $((floor_rows - 1)) rows" "$runs" "$WARMUP" "$OUT/csv_floor" "$file"

  # SurveyKit. The reference estimates (Q5 by Total, F1, F2 with SEs) come from a one-off table.
  "$survey" check "$file" --codebook "$codebook" >"$OUT/check-$rows.txt" 2>&1 || true
  read_line=$(grep -o 'rows read .*' "$OUT/check-$rows.txt" | head -1)
  bench "$rows" "survey check" "ok: $read_line" "$runs" "$WARMUP" "$survey" check "$file" --codebook "$codebook"
  "$survey" tab "$file" --codebook "$codebook" --rows Q5 --by F1,F2 --format csv >"$OUT/survey-q5-$rows.csv" 2>/dev/null
  python3 Benchmarks/compare_util.py ref "$OUT/survey-q5-$rows.csv" >"$OUT/ref-$rows.txt"
  bench "$rows" "survey tab (spec)" "ok: reference" "$runs" "$WARMUP" \
    "$survey" tab "$file" --codebook "$codebook" --spec "$spec"

  # polars and DuckDB: the same point estimates; checked first, timed only if they agree.
  for tool in polars duckdb; do
    "$py" "Benchmarks/tab_$tool.py" "$file" >"$OUT/$tool-$rows.txt"
    if agree=$(python3 Benchmarks/compare_util.py check "$OUT/ref-$rows.txt" "$OUT/$tool-$rows.txt"); then
      bench "$rows" "$tool" "ok: $agree" "$runs" "$WARMUP" "$py" "Benchmarks/tab_$tool.py" "$file"
    else
      say "[$rows] $tool disagrees: $agree"
      printf '%s\t%s\t0\tNA\tNA\tNA\tNA\t\tDISAGREES: %s\n' "$rows" "$tool" "$agree" >>"$results"
    fi
  done

  # R survey: every timed run writes its Q5 estimates and SEs; the time counts only if they agree.
  if [ "$rows" -le "$R_MAX_ROWS" ]; then
    rm -f "$OUT/r-$rows.txt"
    if bench "$rows" "R survey (tab_in_r.R)" "pending" "$r_runs" 0 \
         timeout "$R_TIMEOUT" env "TAB_R_ESTIMATES=$OUT/r-$rows.txt" Rscript Benchmarks/tab_in_r.R "$file"; then
      if agree=$(python3 Benchmarks/compare_util.py check "$OUT/ref-$rows.txt" "$OUT/r-$rows.txt" --se); then
        sed -i "s#\tpending\$#\tok: $agree#" "$results"
      else
        sed -i "s#\tpending\$#\tDISAGREES: $agree#" "$results"
      fi
    else
      printf '%s\t%s\t0\tNA\tNA\tNA\tNA\t\tnot run: > %s s (timeout) or failed, see log\n' \
        "$rows" "R survey (tab_in_r.R)" "$R_TIMEOUT" >>"$results"
    fi
  else
    printf '%s\t%s\t0\tNA\tNA\tNA\tNA\t\tnot run (R_MAX_ROWS=%s)\n' "$rows" "R survey (tab_in_r.R)" "$R_MAX_ROWS" >>"$results"
  fi

  # The columnar table the memory target is measured against (bytes; wide and narrowest types).
  read -r _ wide narrow < <("$py" Benchmarks/compare_util.py table-size "$file")
  printf '%s\tcolumnar-table\t0\t%s\t%s\t\t\t\t\n' "$rows" "$wide" "$narrow" >>"$results"
done

python3 Benchmarks/compare_util.py summary "$results" | tee "$OUT/summary.md"
echo "raw numbers: $results (hyperfine JSON and logs in $OUT)" >&2
