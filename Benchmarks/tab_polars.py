#!/usr/bin/env python3
"""The point estimates of one banner of Benchmarks/tab-benchmark.yaml in polars, for compare.sh:
the weighted column shares of Q5 (codes 1-5; the missing code 9 excluded) in the Total column and
by F1 and by F2 (each break's missing code 9 excluded), weights WEIGHT. Prints one line per cell,
`break,column_code,q5_code,share` with the share unrounded (Total: `Total,,code,share`).

    python Benchmarks/tab_polars.py FILE        (pip install polars)
"""
import sys

import polars as pl

SCHEMA = {"ID": pl.Int64, "DISTRICT": pl.Int64, "WEIGHT": pl.Float64, "FPC": pl.Int64,
          "F1": pl.Int64, "F2": pl.Int64, "Q1": pl.Int64, "Q2": pl.Int64,
          **{f"Q3_{k}": pl.Int64 for k in range(1, 9)},
          "Q4": pl.String, "Q5": pl.Int64, "Q6": pl.Int64,
          "Q7_1": pl.Int64, "Q7_2": pl.Int64, "Q7_3": pl.Int64, "Q8": pl.String}


def main(path):
    # Projection pushdown: only the four columns used are parsed.
    d = (pl.scan_csv(path, schema=SCHEMA)
         .select("WEIGHT", "F1", "F2", "Q5")
         .filter(pl.col("Q5").is_between(1, 5))
         .collect())
    out = []
    total = d.group_by("Q5").agg(pl.col("WEIGHT").sum().alias("w")).with_columns(
        (pl.col("w") / pl.col("w").sum()).alias("share")).sort("Q5")
    for q5, share in zip(total["Q5"], total["share"]):
        out.append(f"Total,,{q5},{share!r}")
    for by in ("F1", "F2"):
        t = (d.filter(pl.col(by) != 9)
             .group_by(by, "Q5").agg(pl.col("WEIGHT").sum().alias("w"))
             .with_columns((pl.col("w") / pl.col("w").sum().over(by)).alias("share"))
             .sort(by, "Q5"))
        for col, q5, share in zip(t[by], t["Q5"], t["share"]):
            out.append(f"{by},{col},{q5},{share!r}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
