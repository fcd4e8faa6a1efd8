#!/usr/bin/env python3
"""The point estimates of one banner of Benchmarks/tab-benchmark.yaml in DuckDB, for compare.sh:
the weighted column shares of Q5 (codes 1-5; the missing code 9 excluded) in the Total column and
by F1 and by F2 (each break's missing code 9 excluded), weights WEIGHT. Prints one line per cell,
`break,column_code,q5_code,share` with the share unrounded (Total: `Total,,code,share`).

    python Benchmarks/tab_duckdb.py FILE        (pip install duckdb)
"""
import sys

import duckdb

COLUMNS = {"ID": "BIGINT", "DISTRICT": "BIGINT", "WEIGHT": "DOUBLE", "FPC": "BIGINT",
           "F1": "BIGINT", "F2": "BIGINT", "Q1": "BIGINT", "Q2": "BIGINT",
           **{f"Q3_{k}": "BIGINT" for k in range(1, 9)},
           "Q4": "VARCHAR", "Q5": "BIGINT", "Q6": "BIGINT",
           "Q7_1": "BIGINT", "Q7_2": "BIGINT", "Q7_3": "BIGINT", "Q8": "VARCHAR"}

SQL = """
WITH d AS (
  SELECT WEIGHT, F1, F2, Q5
  FROM read_csv(?, header = true, delim = ',', quote = '"', escape = '"', columns = {columns})
  WHERE Q5 BETWEEN 1 AND 5
), cells AS (
  SELECT 'Total' AS brk, NULL::BIGINT AS col, Q5, sum(WEIGHT) AS w FROM d GROUP BY Q5
  UNION ALL
  SELECT 'F1', F1, Q5, sum(WEIGHT) FROM d WHERE F1 <> 9 GROUP BY F1, Q5
  UNION ALL
  SELECT 'F2', F2, Q5, sum(WEIGHT) FROM d WHERE F2 <> 9 GROUP BY F2, Q5
)
SELECT brk, col, Q5, w / sum(w) OVER (PARTITION BY brk, col) AS share
FROM cells ORDER BY brk = 'Total' DESC, brk, col, Q5
"""


def main(path):
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items()) + "}"
    rows = duckdb.connect().execute(SQL.format(columns=columns), [path]).fetchall()
    print("\n".join(f"{b},{'' if c is None else c},{q},{s!r}" for b, c, q, s in rows))


if __name__ == "__main__":
    main(sys.argv[1])
