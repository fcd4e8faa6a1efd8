#!/usr/bin/env bash
# Raking a generated file on sex × age group × district: `survey weight` against R's rake() on the
# same file and margins, in one run (wall time and peak memory of each whole process), plus
# `survey freq Q5` with the raking (SEs through the calibration). Not run by `swift test` or CI.
#
#   Benchmarks/weight.sh [ROWS]          # default 1,000,000 rows; needs Rscript with survey
#
# The margins are the bundled sample's register counts (codebooks/citizen-survey-2019-targets.yaml)
# times ceil(ROWS / 1200), as generate_large.py multiplies the stratum populations; both tools
# rake to convergence (SurveyKit's default epsilon 1e-10 relative, R control = list(maxit = 100,
# epsilon = 1e-10)) with the no-answer classes of F1 and F2 as classes of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product survey >/dev/null 2>&1
survey=.build/release/survey
codebook=codebooks/citizen-survey-2019.yaml
python3 Benchmarks/generate_large.py --rows "$rows" --out "$work/large.csv" >/dev/null 2>&1
factor=$(( (rows + 1199) / 1200 ))
python3 - "$factor" >"$work/targets.yaml" <<'PY'
import sys
f = int(sys.argv[1])
sex = {1: 69600, 2: 75400}
age = {1: 20300, 2: 20300, 3: 24650, 4: 23200, 5: 24650, 6: 31900}
district = {1: 38000, 2: 42000, 3: 35000, 4: 18000, 5: 12000}
def counts(d): return "{" + ", ".join(f"{k}: {v * f}" for k, v in d.items()) + "}"
print(f"population: {145000 * f}\nmargins:")
print(f"  - variable: F1\n    missing: own-class\n    counts: {counts(sex)}")
print(f"  - variable: F2\n    missing: own-class\n    counts: {counts(age)}")
print(f"  - variable: DISTRICT\n    counts: {counts(district)}")
PY
run() {  # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    cat "$work/err" >&2; return 1; }
  read -r seconds kilobytes <"$work/time"
  printf '%-34s %8.2f s  %8.1f MiB\n' "$label" "$seconds" "$(echo "$kilobytes / 1024" | bc -l)"
}
echo "rows: $rows; machine: $(nproc) cores, $(uname -m); $(date -u +%Y-%m-%d)"
run "survey check" "$survey" check "$work/large.csv" --codebook "$codebook"
run "survey weight (rake)" "$survey" weight "$work/large.csv" --codebook "$codebook" \
  --targets "$work/targets.yaml" --out "$work/weights.csv"
grep -E "converged|収束" "$work/out" | sed 's/^/  /'
run "survey freq Q5 --targets (rake + SE)" "$survey" freq "$work/large.csv" --codebook "$codebook" \
  --targets "$work/targets.yaml" Q5 --lang en
grep -E "^  Good " "$work/out" | sed 's/^/  /'
run "R: read + svydesign + rake + svymean" Rscript Benchmarks/rake_in_r.R "$work/large.csv"
sed 's/^/  /' "$work/out"
