#!/usr/bin/env python3
"""Helpers of Benchmarks/compare.sh (standard library only, except `table-size`, which needs polars).

    compare_util.py ref SURVEY_TAB_CSV > ref.txt        # Q5 x Total/F1/F2 of `survey tab --format csv`
    compare_util.py check REF OTHER [--se]              # exit 1 unless shares (and SEs) agree to 1e-9
    compare_util.py table-size FILE                     # bytes of the file as a polars DataFrame
    compare_util.py summary RESULTS.tsv                 # the table and the issue's targets

Estimate lines are `break,column_code,q5_code,share[,se]`, shares and SEs as fractions (not %).
"""
import csv
import io
import json
import sys

TOLERANCE = 1e-9


def ref(path):
    text = open(path, encoding="utf-8-sig").read()
    for r in csv.DictReader(io.StringIO(text)):
        if r["question"] != "Q5" or r["row"] != "category" or r["statistic"] != "percent":
            continue
        brk = r["break"] or "Total"
        print(f"{brk},{r['column_code']},{r['code']},{float(r['estimate']) / 100!r},{float(r['se']) / 100!r}")


def load(path):
    out = {}
    for line in open(path):
        f = line.strip().split(",")
        if len(f) >= 4:
            out[(f[0], f[1], int(f[2]))] = [float(x) for x in f[3:]]
    return out


def check(ref_path, other_path, with_se):
    a, b = load(ref_path), load(other_path)
    if set(a) != set(b):
        print(f"cells differ: only in SurveyKit {sorted(set(a) - set(b))[:5]}, "
              f"only in other {sorted(set(b) - set(a))[:5]}")
        return 1
    d_share = max(abs(a[k][0] - b[k][0]) for k in a)
    msg = f"{len(a)} cells, max share diff {d_share:.1e}"
    ok = d_share <= TOLERANCE
    if with_se:
        d_se = max(abs(a[k][1] - b[k][1]) for k in a)
        msg += f", max SE diff {d_se:.1e}"
        ok = ok and d_se <= TOLERANCE
    print(msg + (" (agree)" if ok else f" (DISAGREE: tolerance {TOLERANCE})"))
    return 0 if ok else 1


def table_size(path):
    import polars as pl
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from tab_polars import SCHEMA
    wide = pl.read_csv(path, schema=SCHEMA)
    narrow_types = {"ID": pl.Int32, "WEIGHT": pl.Float64, "FPC": pl.Int32, "Q4": pl.String, "Q8": pl.String}
    narrow = wide.cast({k: narrow_types.get(k, pl.Int8) for k in SCHEMA})
    print(f"{wide.height} {wide.estimated_size()} {narrow.estimated_size()}")


def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def summary(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    sizes = sorted({int(r["rows"]) for r in rows})
    tables = {}
    for r in rows:
        if r["tool"] == "columnar-table":
            tables[int(r["rows"])] = (int(r["median_s"]), int(r["min_s"]))  # bytes (wide, narrow)
    res = {(int(r["rows"]), r["tool"]): r for r in rows if r["tool"] != "columnar-table"}
    print("| Rows | Tool | Runs | Median (s) | Range (s) | Peak RSS (MiB) | Bytes/row (peak RSS) | Check |")
    print("|---:|---|---:|---:|---|---:|---:|---|")
    for n in sizes:
        for (m, tool), r in res.items():
            if m != n:
                continue
            if r["median_s"] in ("", "NA"):
                print(f"| {n:,} | {tool} | – | – | – | – | – | {r['check']} |")
                continue
            med, lo, hi, rss = float(r["median_s"]), float(r["min_s"]), float(r["max_s"]), int(r["rss_kb"])
            print(f"| {n:,} | {tool} | {r['runs']} | {fmt_s(med)} | {fmt_s(lo)}–{fmt_s(hi)} | "
                  f"{rss / 1024:,.1f} | {rss * 1024 / n:,.0f} | {r['check']} |")
        if n in tables:
            w, s = tables[n]
            print(f"| {n:,} | columnar table (polars, Int64/Float64/String; narrowest types) | | | | "
                  f"{w / 2**20:,.1f}; {s / 2**20:,.1f} | {w / n:,.0f}; {s / n:,.0f} | |")
    print()

    def med(n, tool):
        r = res.get((n, tool))
        return float(r["median_s"]) if r and r["median_s"] not in ("", "NA") and r["check"].startswith("ok") else None

    big, small = max(sizes), min(sizes)
    print(f"Targets at {big:,} rows:")
    tab, check_t = med(big, "survey tab (spec)"), med(big, "survey check")
    for other in ("polars", "duckdb"):
        o = med(big, other)
        if tab and o:
            verdict = "met" if tab < o else f"MISSED by {tab / o:.1f}x ({tab - o:.2f} s)"
            print(f"- survey tab ({fmt_s(tab)} s) faster than {other} point estimates ({fmt_s(o)} s): {verdict}")
    for n in (big, small):
        r_t, t = med(n, "R survey (tab_in_r.R)"), med(n, "survey tab (spec)")
        if r_t and t:
            ratio = r_t / t
            print(f"- >= 100x faster than R survey at {n:,} rows: {ratio:.1f}x -> "
                  f"{'met' if ratio >= 100 else f'MISSED (needs {100 / ratio:.1f}x more)'}")
            break
    floor = med(big, "libcsv parse (C)")
    if floor and check_t:
        frac = floor / check_t
        print(f"- survey check throughput = {frac * 100:.1f}% of bare libcsv parse "
              f"({big / check_t:,.0f} vs {big / floor:,.0f} rows/s): "
              f"{'met' if frac >= 0.7 else f'MISSED (needs {0.7 / frac:.1f}x faster)'}")
    if big in tables:
        w, s = tables[big]
        for tool in ("survey check", "survey tab (spec)"):
            r = res.get((big, tool))
            if r and r["rss_kb"]:
                rss = int(r["rss_kb"]) * 1024
                print(f"- peak RSS of {tool} = {rss / w:.2f}x the columnar table ({w / 2**20:.0f} MiB; "
                      f"{rss / s:.2f}x the narrowest-typed {s / 2**20:.0f} MiB): "
                      f"{'met' if rss <= 3 * w else 'MISSED'} (<= 3x)")
    for tool in ("survey check", "survey tab (spec)", "polars", "duckdb", "R survey (tab_in_r.R)"):
        a, b = med(small, tool), med(big, tool)
        if a and b:
            ratio, scale = b / a, big / small
            print(f"- {tool}: {small:,} -> {big:,} rows time x{ratio:.2f} (rows x{scale:.0f}): "
                  f"{'linear or better' if ratio <= scale * 1.1 else 'SUPERLINEAR'}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "ref":
        ref(sys.argv[2])
    elif cmd == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], "--se" in sys.argv[4:]))
    elif cmd == "table-size":
        table_size(sys.argv[2])
    elif cmd == "summary":
        summary(sys.argv[2])
