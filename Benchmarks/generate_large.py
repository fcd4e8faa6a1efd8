#!/usr/bin/env python3
"""Write a large, valid, SYNTHETIC citizen-survey CSV for benchmarks.

    python3 Benchmarks/generate_large.py --rows 1000000 --out /tmp/large.csv \
        [--encoding utf-8|cp932] [--newline lf|crlf] [--seed N]

Same 23-column layout and codebook as samples/citizen-survey-2019.csv
(codebooks/citizen-survey-2019.yaml); every row is valid. Rows are built from a
pool of pre-formatted respondent templates drawn with the sample generator's
row model (samples/generate_samples.py), so ~8% of rows carry a comment, some
with commas, doubled quotes and line breaks inside the quoted field.

Design: five districts with the sample's allocation (25/25/23.3/16.7/10%),
exact stratum sizes n_h by largest remainder. The stratum populations are the
sample's N_h (38000, 42000, 35000, 18000, 12000) multiplied by
ceil(rows / 1200), so the sampling fraction stays that of the sample and
N_h >= n_h; FPC = N_h and WEIGHT = N_h / n_h (Python repr) on every row.
IDs run from 10001 upward. The output is streamed in buffered chunks (memory
stays bounded) and is deterministic for a given --rows and --seed.
Defaults: --encoding utf-8 with LF; cp932 defaults to CRLF (as a CP932 export).
"""

import argparse
import os
import random
import sys
import time

sys.dont_write_bytecode = True  # keep samples/ free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "samples"))
import generate_samples as gs  # noqa: E402

POOL_SIZE = 8192
CHUNK_ROWS = 20000
COMMENT_RATE = 0.08


def stratum_sizes(rows):
    """n_h proportional to the sample's allocation, summing to rows (largest remainder)."""
    total = sum(n for _, _, n in gs.STRATA)
    exact = [(h, rows * n / total) for h, _, n in gs.STRATA]
    sizes = {h: int(x) for h, x in exact}
    left = rows - sum(sizes.values())
    by_rest = sorted(exact, key=lambda hx: (-(hx[1] - int(hx[1])), hx[0]))
    for h, _ in by_rest[:left]:
        sizes[h] += 1
    return sizes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1000000, help="number of respondents (default 1000000)")
    ap.add_argument("--out", required=True, help="output path")
    ap.add_argument("--encoding", choices=("utf-8", "cp932"), default="utf-8")
    ap.add_argument("--newline", choices=("lf", "crlf"), default=None,
                    help="line endings (default: lf for utf-8, crlf for cp932)")
    ap.add_argument("--seed", type=int, default=2019)
    args = ap.parse_args()
    if args.rows < 0:
        ap.error("--rows must be >= 0")
    nl = {"lf": "\n", "crlf": "\r\n"}[args.newline or ("crlf" if args.encoding == "cp932" else "lf")]
    started = time.time()

    rng = random.Random(args.seed)
    # Templates: cells F1..Q8 of valid respondents, already CSV-formatted.
    tails = []
    for _ in range(POOL_SIZE):
        r = gs.make_respondent(rng, comment_rate=COMMENT_RATE)
        fields = gs.respondent_fields(r, 1, 1, "1", 1)
        assert gs.record_problems(fields) == [], fields
        tails.append(gs.csv_line(fields[4:], nl))

    sizes = stratum_sizes(args.rows)
    mult = max(1, -(-args.rows // 1200))
    prefix = {}
    for h, population, _ in gs.STRATA:
        if sizes[h]:
            big_n = population * mult
            prefix[h] = ",%d,%s,%d," % (h, gs.weight_string(big_n, sizes[h]), big_n)
    # Sequential draw without replacement gives exact n_h in a shuffled order.
    remaining = [[h, sizes[h]] for h, _, _ in gs.STRATA]
    left = args.rows

    rand = rng.random
    pick = rng.randrange
    next_id = gs.FIRST_ID
    with open(args.out, "wb", buffering=1 << 20) as out:
        out.write(gs.csv_line(gs.HEADER, nl).encode(args.encoding))
        done = 0
        while done < args.rows:
            todo = min(CHUNK_ROWS, args.rows - done)
            buf = []
            append = buf.append
            for _ in range(todo):
                x = rand() * left
                for slot in remaining:
                    x -= slot[1]
                    if x < 0:
                        break
                else:  # floating-point edge: last non-empty stratum
                    slot = [s for s in remaining if s[1]][-1]
                slot[1] -= 1
                left -= 1
                append(str(next_id) + prefix[slot[0]] + tails[pick(POOL_SIZE)])
                next_id += 1
            out.write("".join(buf).encode(args.encoding))
            done += todo

    size = os.path.getsize(args.out)
    sys.stderr.write("wrote %s: %d rows, %d bytes (%.1f MB), %s, %s, %.1f s\n" % (
        args.out, args.rows, size, size / 1e6, args.encoding,
        "CRLF" if nl == "\r\n" else "LF", time.time() - started))
    sys.stderr.write("strata n_h: %s; FPC = N_h x %d\n" % (
        ", ".join("%d: %d" % (h, sizes[h]) for h, _, _ in gs.STRATA), mult))


if __name__ == "__main__":
    main()
