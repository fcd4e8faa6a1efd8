#!/usr/bin/env python3
"""Generate the synthetic sample files of SurveyKit's citizen survey.

The data are SYNTHETIC: no row is a real person's answer. They are drawn with a
fixed seed (random.Random(2019)) so that, weighted by the design weights, they
reproduce the published figures of Tomakomai's 2020 strategy-council material
(see samples/README.md). The codebook is codebooks/citizen-survey-2019.yaml.

Run from the project root:

    python3 samples/generate_samples.py

It (re)writes, byte-identically on every run:

    samples/citizen-survey-2019.csv                UTF-8 (no BOM), LF
    samples/citizen-survey-2019-cp932.csv          the same records, CP932, CRLF
    samples/citizen-survey-2019-dirty.csv          the CP932/CRLF file with planted defects
    samples/citizen-survey-2019-dirty-defects.csv  answer key of the planted defects (UTF-8)

Python 3 standard library only. The row generator (make_respondent,
respondent_fields, csv_line) is also used by Benchmarks/generate_large.py.
"""

import os
import random
import sys

SEED = 2019

HEADER = [
    "ID", "DISTRICT", "WEIGHT", "FPC", "F1", "F2", "Q1", "Q2",
    "Q3_1", "Q3_2", "Q3_3", "Q3_4", "Q3_5", "Q3_6", "Q3_7", "Q3_8",
    "Q4", "Q5", "Q6", "Q7_1", "Q7_2", "Q7_3", "Q8",
]
COL = {name: i + 1 for i, name in enumerate(HEADER)}  # 1-based column numbers

# Stratified design: district -> (population N_h, respondents n_h).
STRATA = [(1, 38000, 300), (2, 42000, 300), (3, 35000, 280), (4, 18000, 200), (5, 12000, 120)]
FIRST_ID = 10001

# Published figures (design-weighted) the sample must reproduce, and the tolerance.
TARGETS = [
    ("Q1 = 2 (ideal 2 children), % of Q1 answered", 55.3),
    ("Q1 = 3 (ideal 3 children), % of Q1 answered", 32.5),
    ("Q3_1 too expensive, % of those asked Q3", 62.8),
    ("Q3_2 mental/physical burden, % of those asked Q3", 20.4),
    ("Q3_3 no one to help, % of those asked Q3", 17.7),
    ("Q4 code 1 less financial burden, % of Q4 answered", 56.8),
    ("Q4 code 2 stable employment, % of Q4 answered", 42.4),
    ("Q4 code 3 family-friendly workplaces, % of Q4 answered", 37.0),
    ("Q5 = 1 livable (KPI), % of Q5 answered", 33.1),
    ("Q6 satisfaction, mean of 6 - Q6 (KPI)", 2.90),
]
TOLERANCE = 0.03

# ---------------------------------------------------------------------------
# Free-text comments (Q8). Everything must be encodable in CP932.

SENTENCES = [
    "保育園の数を増やしてほしいです。",
    "子育て支援センターをよく利用しています。",
    "医療費助成を高校生まで広げてほしい。",
    "共働きなので、延長保育がもっと使いやすくなると助かります。",
    "冬場に子どもを遊ばせる屋内の施設が少ないと感じます。",
    "児童手当だけでは教育費が足りません。",
    "一時預かりの予約がなかなか取れません。",
    "公園の遊具が古く、安心して遊ばせられない。",
    "相談窓口の情報がどこにあるのか分かりにくいです。",
    "転勤で苫小牧に来ましたが、知り合いがいなくて不安でした。",
    "市のホームページで手続きができるようにしてほしい。",
    "放課後児童クラブの時間を延ばしてほしい。",
    "出産費用の負担がもう少し軽くなればと思います。",
    "勇払地区にも子育て支援センターがほしいです。",
    "特にありません。",
    "いつもありがとうございます。",
    "若い世代が働ける場所を増やすことが一番の少子化対策だと思う。",
    "病児保育を利用できる施設を増やしてください。",
    "小児科が少なく、休日の受診に困っています。",
    "住宅への支援があれば、もう一人ほしいと考えています。",
    "雪の日の送り迎えが大変です。",
    "父親が参加しやすい講座を土日に開いてほしい。",
    "子どもが独立したので、今は特に利用していません。",
    "保育士さんの待遇を良くしてあげてください。",
]

# Comments with the features a CSV reader must cope with: ASCII commas, doubled
# quotes, line breaks inside the quoted field, NEC/IBM extension characters.
SPECIAL_COMMENTS = [
    "保育料が高い, 特に2人目以降の負担が大きいです。",
    "待機児童をなくしてほしい, 育休明けに入れる園がありませんでした。",
    "送迎バス, 延長保育, 病児保育の3つを充実させてください。",
    "「\"待機児童\"」という言葉を聞かなくなる日を待っています。",
    "市の広報で見た「\"子育て応援\"」の取り組みは良いと思う。",
    "\"ワンストップ窓口\"があると、とても便利だと思います。",
    "①保育料の軽減\n②放課後児童クラブの延長\n③公園の整備",
    "①保育料の軽減、②医療費助成の拡充をお願いします。",
    "勤め先の㈱では育児休業が取りにくい雰囲気があります。",
    "子育て支援センターの髙橋さんにはいつも相談にのってもらっています。",
    "要望は2つです。\n1. 保育園の増設\n2. 「\"こども食堂\"」への支援, 場所の提供など",
    "市役所の窓口は親切でした。\nただ、平日しか開いていないのが困ります。",
]


def make_comment(rng):
    if rng.random() < 0.22:
        return SPECIAL_COMMENTS[rng.randrange(len(SPECIAL_COMMENTS))]
    k = wchoice(rng, [(1, 55), (2, 32), (3, 13)])
    picked = []
    while len(picked) < k:
        s = SENTENCES[rng.randrange(len(SENTENCES))]
        if s not in picked:
            picked.append(s)
    sep = "\n" if (k > 1 and rng.random() < 0.35) else ""
    return sep.join(picked)


# ---------------------------------------------------------------------------
# Drawing one respondent (weights and district are added by the caller).

def wchoice(rng, items):
    """Weighted choice from a list of (value, weight); stable across Python versions."""
    total = sum(w for _, w in items)
    x = rng.random() * total
    for value, w in items:
        x -= w
        if x < 0:
            return value
    return items[-1][0]


def pick_distinct(rng, items, k):
    """k distinct values drawn without replacement by weight, returned ascending."""
    items = list(items)
    out = []
    for _ in range(k):
        v = wchoice(rng, items)
        out.append(v)
        items = [(c, w) for c, w in items if c != v]
    return sorted(out)


AGE_BY_SEX = {
    1: [(1, 6), (2, 10), (3, 14), (4, 17), (5, 23), (6, 30)],   # young men answer least
    2: [(1, 8), (2, 13), (3, 16), (4, 17), (5, 22), (6, 24)],
    9: [(1, 5), (2, 10), (3, 15), (4, 17), (5, 23), (6, 30)],
}
Q1_DIST = [(0, 2.0), (1, 6.0), (2, 55.3), (3, 32.5), (4, 3.2), (5, 1.0)]
Q2_BY_AGE = {
    1: [(0, 70), (1, 16), (2, 11), (3, 3)],
    2: [(0, 28), (1, 27), (2, 33), (3, 10), (4, 2)],
    3: [(0, 18), (1, 20), (2, 42), (3, 16), (4, 3), (5, 1)],
    4: [(0, 15), (1, 17), (2, 47), (3, 17), (4, 3), (5, 1)],
    5: [(0, 10), (1, 14), (2, 50), (3, 21), (4, 4), (5, 1)],
    6: [(0, 10), (1, 13), (2, 49), (3, 22), (4, 5), (5, 1)],
}
Q2_BY_AGE[9] = Q2_BY_AGE[4]
Q4_CODES = [(1, 57), (2, 42), (3, 37), (4, 30), (5, 16), (6, 12), (7, 3)]
Q5_DIST = [(1, 33.1), (2, 36.0), (3, 18.0), (4, 8.5), (5, 4.4)]
Q6_DIST = [(1, 6), (2, 19), (3, 40), (4, 23), (5, 12)]
Q7_CODES = [(1, 50), (2, 35), (3, 20), (4, 12), (5, 40), (6, 5)]
FILLER_Q3 = [3, 4, 5, 6, 7]       # indexes of Q3_4..Q3_8 (no published figure)


def q3_asked(r):
    return r["Q1"] != 99 and r["Q2"] != 99 and r["Q2"] < r["Q1"]


def draw_q3(rng, r):
    age = r["F2"] if r["F2"] != 9 else 4
    probs = [0.60, 0.19, 0.17, 0.06 + 0.05 * age, 0.08, 0.16 - 0.02 * age, 0.07, 0.04]
    q3 = [1 if rng.random() < p else 0 for p in probs]
    if sum(q3) == 0:
        q3[wchoice(rng, [(0, 50), (3, 20), (4, 8), (5, 10), (6, 7), (7, 5)])] = 1
    return q3


def make_respondent(rng, comment_rate=0.10):
    """One valid respondent: a dict of codes (without ID, district and weight)."""
    r = {}
    r["F1"] = 9 if rng.random() < 0.006 else (1 if rng.random() < 0.46 else 2)
    r["F2"] = 9 if rng.random() < 0.006 else wchoice(rng, AGE_BY_SEX[r["F1"]])
    r["Q1"] = 99 if rng.random() < 0.01 else wchoice(rng, Q1_DIST)
    r["Q2"] = 99 if rng.random() < 0.01 else wchoice(rng, Q2_BY_AGE[r["F2"]])
    r["Q3"] = draw_q3(rng, r) if q3_asked(r) else None
    x = rng.random()
    if x < 0.01:
        r["Q4"] = [99]
    elif x < 0.045:
        r["Q4"] = [9]
    else:
        r["Q4"] = pick_distinct(rng, Q4_CODES, wchoice(rng, [(1, 25), (2, 35), (3, 40)]))
    x = rng.random()
    r["Q4sep"] = "," if x < 0.10 else ("fullwidth" if x < 0.15 else ";")
    r["Q5"] = 9 if rng.random() < 0.01 else wchoice(rng, Q5_DIST)
    x = rng.random()
    r["Q6"] = 9 if x < 0.01 else (8 if x < 0.04 else wchoice(rng, Q6_DIST))
    if rng.random() < 0.01:
        r["Q7"] = [99]
    else:
        p_none = 0.7 if r["Q2"] == 0 else (0.3 if r["Q2"] == 99 else 0.08)
        if rng.random() < p_none:
            r["Q7"] = [7]
        else:
            r["Q7"] = pick_distinct(rng, Q7_CODES, wchoice(rng, [(1, 35), (2, 40), (3, 25)]))
    r["Q8"] = make_comment(rng) if rng.random() < comment_rate else ""
    return r


# ---------------------------------------------------------------------------
# Formatting.

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def format_q4(codes, sep):
    if len(codes) == 1:
        return str(codes[0])
    if sep == "fullwidth":
        return "、".join(str(c) for c in codes).translate(FULLWIDTH_DIGITS)
    return sep.join(str(c) for c in codes)


def respondent_fields(r, rid, district, weight, fpc):
    """The 23 cells of a respondent as strings (comments with LF line breaks)."""
    q3 = [str(v) for v in r["Q3"]] if r["Q3"] is not None else [""] * 8
    q7 = [str(c) for c in r["Q7"]] + [""] * (3 - len(r["Q7"]))
    return ([str(rid), str(district), weight, str(fpc), str(r["F1"]), str(r["F2"]),
             str(r["Q1"]), str(r["Q2"])] + q3 +
            [format_q4(r["Q4"], r["Q4sep"]), str(r["Q5"]), str(r["Q6"])] + q7 + [r["Q8"]])


def csv_field(s):
    if "," in s or '"' in s or "\r" in s or "\n" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def csv_line(fields, newline):
    """One CSV record; line breaks inside fields become `newline` too."""
    return ",".join(csv_field(f.replace("\n", newline)) for f in fields) + newline


def weight_string(population, respondents):
    return repr(population / respondents)


# ---------------------------------------------------------------------------
# Validation of a clean record against the codebook (used as a self-check).

def parse_codes(cell):
    s = cell.translate(str.maketrans("０１２３４５６７８９、", "0123456789,")).replace(";", ",")
    return [int(x) for x in s.split(",")]


def record_problems(f):
    """Codebook violations of one record (list of cell strings); [] if valid."""
    if len(f) != len(HEADER):
        return ["field count %d" % len(f)]
    p = []
    c = dict(zip(HEADER, f))
    if not c["ID"].isdigit():
        p.append("ID")
    if c["DISTRICT"] not in ("1", "2", "3", "4", "5"):
        p.append("DISTRICT")
    try:
        if not float(c["WEIGHT"]) > 0:
            p.append("WEIGHT")
    except ValueError:
        p.append("WEIGHT")
    if not c["FPC"].isdigit():
        p.append("FPC")
    allowed = {"F1": "1 2 9", "F2": "1 2 3 4 5 6 9", "Q5": "1 2 3 4 5 9", "Q6": "1 2 3 4 5 8 9"}
    for name, vals in allowed.items():
        if c[name] not in vals.split():
            p.append(name)
    nums = {}
    for name in ("Q1", "Q2"):
        v = c[name]
        if not v.isdigit() or not (int(v) <= 10 or int(v) == 99):
            p.append(name)
        else:
            nums[name] = int(v)
    q3 = [c["Q3_%d" % k] for k in range(1, 9)]
    if len(nums) == 2 and nums["Q1"] != 99 and nums["Q2"] != 99 and nums["Q2"] < nums["Q1"]:
        if any(v not in ("0", "1") for v in q3) or "1" not in q3:
            p.append("Q3 asked")
    elif len(nums) == 2 and any(q3):
        p.append("Q3 not asked")
    try:
        codes = parse_codes(c["Q4"])
        if codes not in ([9], [99]):
            if not (1 <= len(codes) <= 3 and codes == sorted(set(codes))
                    and all(1 <= x <= 7 for x in codes)):
                p.append("Q4")
    except ValueError:
        p.append("Q4")
    q7 = [c["Q7_1"], c["Q7_2"], c["Q7_3"]]
    used = [v for v in q7 if v]
    if q7[:len(used)] != used or not used:
        p.append("Q7 shape")
    elif not (used in (["7"], ["99"]) or (len(set(used)) == len(used)
                                          and all(v in "1 2 3 4 5 6".split() for v in used))):
        p.append("Q7 codes")
    return p


# ---------------------------------------------------------------------------
# Weighted figures and the deterministic tuning that makes them hit the targets.

def wshare(rows, base, cond):
    w_base = sum(r["w"] for r in rows if base(r))
    return 100.0 * sum(r["w"] for r in rows if base(r) and cond(r)) / w_base


def wmean(rows, base, value):
    w_base = sum(r["w"] for r in rows if base(r))
    return sum(r["w"] * value(r) for r in rows if base(r)) / w_base


def q1_valid(r):
    return r["Q1"] != 99


def q3_base(r):
    return r["Q3"] is not None


def q4_valid(r):
    return r["Q4"] != [99]


def q5_valid(r):
    return r["Q5"] != 9


def q6_valid(r):
    return r["Q6"] not in (8, 9)


def figures(rows):
    return [
        wshare(rows, q1_valid, lambda r: r["Q1"] == 2),
        wshare(rows, q1_valid, lambda r: r["Q1"] == 3),
        wshare(rows, q3_base, lambda r: r["Q3"][0] == 1),
        wshare(rows, q3_base, lambda r: r["Q3"][1] == 1),
        wshare(rows, q3_base, lambda r: r["Q3"][2] == 1),
        wshare(rows, q4_valid, lambda r: 1 in r["Q4"]),
        wshare(rows, q4_valid, lambda r: 2 in r["Q4"]),
        wshare(rows, q4_valid, lambda r: 3 in r["Q4"]),
        wshare(rows, q5_valid, lambda r: r["Q5"] == 1),
        wmean(rows, q6_valid, lambda r: 6 - r["Q6"]),
    ]


def snapshot(r):
    return {k: (list(v) if isinstance(v, list) else v) for k, v in r.items()}


def tune(rows, rng, stat, target, can_up, up, can_down, down):
    """Move `stat` to within a hair of `target` by changing single rows.

    up(r) raises the statistic by r's weight share, down(r) lowers it. A coarse
    pass applies single moves; a fine pass combines an up-move in one stratum
    with a down-move in another (weights differ by stratum) for fine steps.
    """
    order = list(range(len(rows)))
    rng.shuffle(order)

    def first(pred, district=None):
        for i in order:
            r = rows[i]
            if (district is None or r["district"] == district) and pred(r):
                return r
        return None

    s = stat(rows)
    while s < target:
        r = first(can_up)
        if r is None:
            raise SystemExit("tuning failed (no up-move) for target %s" % target)
        up(r)
        s = stat(rows)
    while s > target:
        r = first(can_down)
        if r is None:
            raise SystemExit("tuning failed (no down-move) for target %s" % target)
        down(r)
        s = stat(rows)
    for _ in range(20):
        best = (abs(s - target), None)
        if best[0] <= 0.004:
            break
        ups = [first(can_up, h) for h, _, _ in STRATA]
        downs = [first(can_down, h) for h, _, _ in STRATA]
        moves = [[(u, up)] for u in ups if u] + [[(d, down)] for d in downs if d]
        moves += [[(u, up), (d, down)] for u in ups for d in downs
                  if u and d and u is not d and u["district"] != d["district"]]
        for move in moves:
            saved = [(r, snapshot(r)) for r, _ in move]
            for r, fn in move:
                fn(r)
            err = abs(stat(rows) - target)
            for r, old in saved:
                r.clear()
                r.update(old)
            if err < best[0] - 1e-12:
                best = (err, move)
        if best[1] is None:
            break
        for r, fn in best[1]:
            fn(r)
        s = stat(rows)
    return s


def build_sample(rng):
    districts = []
    for h, _, n in STRATA:
        districts += [h] * n
    rng.shuffle(districts)
    pop = {h: N for h, N, _ in STRATA}
    size = {h: n for h, _, n in STRATA}
    rows = []
    for i, h in enumerate(districts):
        r = make_respondent(rng, comment_rate=0.10)
        r["id"] = FIRST_ID + i
        r["district"] = h
        r["w"] = pop[h] / size[h]
        rows.append(r)

    # Q1: shares of 2 and 3 (moving rows between 2 or 3 and the other answers).
    other = (0, 1, 4, 5)

    def set_q1(value):
        def fn(r):
            r["Q1"] = value if value is not None else (1 if rng.random() < 0.6 else 4)
        return fn

    tune(rows, rng, lambda rs: wshare(rs, q1_valid, lambda r: r["Q1"] == 2), 55.3,
         lambda r: r["Q1"] in other, set_q1(2), lambda r: r["Q1"] == 2, set_q1(None))
    tune(rows, rng, lambda rs: wshare(rs, q1_valid, lambda r: r["Q1"] == 3), 32.5,
         lambda r: r["Q1"] in other, set_q1(3), lambda r: r["Q1"] == 3, set_q1(None))

    # The Q3 filter follows the final Q1.
    for r in rows:
        if q3_asked(r) and r["Q3"] is None:
            r["Q3"] = draw_q3(rng, r)
        elif not q3_asked(r):
            r["Q3"] = None

    for k, target in ((0, 62.8), (1, 20.4), (2, 17.7)):
        def q3_up(r, k=k):
            r["Q3"][k] = 1

        def q3_down(r, k=k):
            r["Q3"][k] = 0
            if sum(r["Q3"]) == 0:
                r["Q3"][FILLER_Q3[rng.randrange(len(FILLER_Q3))]] = 1
        tune(rows, rng, lambda rs, k=k: wshare(rs, q3_base, lambda r: r["Q3"][k] == 1), target,
             lambda r, k=k: r["Q3"] is not None and r["Q3"][k] == 0, q3_up,
             lambda r, k=k: r["Q3"] is not None and r["Q3"][k] == 1, q3_down)

    for code, target in ((1, 56.8), (2, 42.4), (3, 37.0)):
        def q4_can_up(r, code=code):
            q = r["Q4"]
            return code not in q and q not in ([9], [99]) and (len(q) < 3 or max(q) >= 4)

        def q4_up(r, code=code):
            q = r["Q4"]
            if len(q) == 3:
                q.remove(max(q))
            q.append(code)
            q.sort()

        def q4_down(r, code=code):
            q = r["Q4"]
            q.remove(code)
            if not q:
                q.append(4 if rng.random() < 0.6 else 5)
            q.sort()
        tune(rows, rng, lambda rs, code=code: wshare(rs, q4_valid, lambda r: code in r["Q4"]),
             target, q4_can_up, q4_up, lambda r, code=code: code in r["Q4"], q4_down)

    def q5_up(r):
        r["Q5"] = 1

    def q5_down(r):
        r["Q5"] = 2
    tune(rows, rng, lambda rs: wshare(rs, q5_valid, lambda r: r["Q5"] == 1), 33.1,
         lambda r: r["Q5"] == 2, q5_up, lambda r: r["Q5"] == 1, q5_down)

    def q6_up(r):
        r["Q6"] -= 1       # 6 - Q6 goes up

    def q6_down(r):
        r["Q6"] += 1
    tune(rows, rng, lambda rs: wmean(rs, q6_valid, lambda r: 6 - r["Q6"]), 2.90,
         lambda r: 2 <= r["Q6"] <= 5, q6_up, lambda r: 1 <= r["Q6"] <= 4, q6_down)

    # Make sure every special comment (commas, quotes, line breaks, ①㈱髙) occurs.
    for text in SPECIAL_COMMENTS:
        if not any(r["Q8"] == text for r in rows):
            free = [r for r in rows if r["Q8"] == ""]
            free[rng.randrange(len(free))]["Q8"] = text
    return rows


# ---------------------------------------------------------------------------
# The dirty copy.

DEFECT_KINDS = [
    "unknown-code", "out-of-range", "not-a-number", "too-many-choices", "repeated-choice",
    "exclusive-choice", "not-dichotomous", "not-asked", "asked-not-answered", "duplicate-id",
    "missing-weight", "non-numeric-weight", "non-positive-weight", "unknown-stratum",
    "too-few-fields", "too-many-fields", "undecodable-bytes", "blank-line",
]
BYTE80_MARK = "@@BYTE80@@"


def q3_not_asked_valid(r):
    return r["Q1"] != 99 and r["Q2"] != 99 and r["Q2"] >= r["Q1"]


ELIGIBLE = {
    "out-of-range": q3_not_asked_valid,
    "not-a-number": q3_not_asked_valid,
    "not-asked": q3_not_asked_valid,
    "not-dichotomous": lambda r: r["Q3"] is not None and 0 in r["Q3"],
    "too-few-fields": lambda r: r["Q8"] == "",
    "too-many-fields": lambda r: r["Q8"] == "",
    "undecodable-bytes": lambda r: r["Q8"] == "",
}


def plant_defects(rows, records, rng):
    """Choose rows and apply the defects.

    Returns (records, defects, blank_before, dup_source): records are the cell
    lists (modified copies), defects maps row index -> (kind, column or None).
    """
    kinds = list(DEFECT_KINDS)
    rng.shuffle(kinds)
    taken = set()          # row indexes that carry a defect (blank line: both neighbours)
    single_line = [("\n" not in r["Q8"]) for r in rows]

    def free(i):
        return (0 <= i < len(rows) and single_line[i]
                and all(j not in taken for j in (i - 1, i, i + 1)))

    step = len(rows) // (len(kinds) + 1)
    chosen = {}
    for n, kind in enumerate(kinds):
        i = step * (n + 1) - step // 3 + rng.randrange(step // 3)
        ok = ELIGIBLE.get(kind, lambda r: True)
        while True:
            if kind == "blank-line":
                good = free(i - 1) and free(i) and i - 1 not in taken
            else:
                good = free(i) and ok(rows[i])
            if kind == "duplicate-id" and good:
                # the earlier row whose ID is reused must be clean and away from defects
                src = i - 7
                good = src > 1 and free(src) and free(src - 1) and free(src + 1)
            if good:
                break
            i += 1
        chosen[i] = kind
        taken.add(i)
        if kind == "duplicate-id":
            taken.add(i - 7)
        if kind == "blank-line":
            taken.add(i - 1)
    records = [list(f) for f in records]
    defects = {}
    blank_before = None
    for i in sorted(chosen):
        kind = chosen[i]
        f = records[i]
        r = rows[i]
        col = None
        if kind == "unknown-code":
            col = COL["F1"]; f[col - 1] = "3"
        elif kind == "out-of-range":
            col = COL["Q1"]; f[col - 1] = "15"
        elif kind == "not-a-number":
            col = COL["Q2"]; f[col - 1] = "不明"
        elif kind == "too-many-choices":
            col = COL["Q4"]; f[col - 1] = "1;2;3;5"
        elif kind == "repeated-choice":
            col = COL["Q4"]; f[col - 1] = "2;2"
        elif kind == "exclusive-choice":
            col = COL["Q4"]; f[col - 1] = "1;9"
        elif kind == "not-dichotomous":
            zeros = [k for k in range(8) if r["Q3"][k] == 0]
            k = zeros[rng.randrange(len(zeros))]
            col = COL["Q3_1"] + k; f[col - 1] = "2"
        elif kind == "not-asked":
            col = COL["Q3_1"]
            f[col - 1:col + 7] = ["1", "0", "0", "0", "0", "0", "0", "0"]
        elif kind == "asked-not-answered":
            col = COL["Q5"]; f[col - 1] = ""
        elif kind == "duplicate-id":
            col = COL["ID"]; f[col - 1] = records[i - 7][0]
        elif kind == "missing-weight":
            col = COL["WEIGHT"]; f[col - 1] = ""
        elif kind == "non-numeric-weight":
            col = COL["WEIGHT"]; f[col - 1] = "abc"
        elif kind == "non-positive-weight":
            col = COL["WEIGHT"]; f[col - 1] = "0"
        elif kind == "unknown-stratum":
            col = COL["DISTRICT"]; f[col - 1] = "7"
        elif kind == "too-few-fields":
            del f[-3:]
        elif kind == "too-many-fields":
            f.append("x")
        elif kind == "undecodable-bytes":
            col = COL["Q8"]; f[col - 1] = "保育料が高くて" + BYTE80_MARK + "困っています。"
        elif kind == "blank-line":
            blank_before = i
        if kind != "blank-line":
            defects[i] = (kind, col)
    return records, defects, blank_before, chosen


def write_bytes(path, data):
    with open(path, "wb") as fh:
        fh.write(data)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "samples")
    rng = random.Random(SEED)
    rows = build_sample(rng)

    figs = figures(rows)
    for (label, target), value in zip(TARGETS, figs):
        assert abs(value - target) <= TOLERANCE, (label, value, target)

    weights = {h: weight_string(N, n) for h, N, n in STRATA}
    fpcs = {h: N for h, N, _ in STRATA}
    records = [respondent_fields(r, r["id"], r["district"], weights[r["district"]],
                                 fpcs[r["district"]]) for r in rows]
    for f in records:
        assert record_problems(f) == [], (f, record_problems(f))
    assert len({f[0] for f in records}) == len(records)
    texts = [r["Q8"] for r in rows if r["Q8"]]
    assert sum("," in t for t in texts) >= 3 and sum('"' in t for t in texts) >= 3
    assert sum("\n" in t for t in texts) >= 5
    assert all(any(ch in t for t in texts) for ch in "①㈱髙")

    utf8 = csv_line(HEADER, "\n") + "".join(csv_line(f, "\n") for f in records)
    crlf = csv_line(HEADER, "\r\n") + "".join(csv_line(f, "\r\n") for f in records)
    write_bytes(os.path.join(out, "citizen-survey-2019.csv"), utf8.encode("utf-8"))
    write_bytes(os.path.join(out, "citizen-survey-2019-cp932.csv"), crlf.encode("cp932"))

    # Dirty copy: same CP932/CRLF records with planted defects.
    dirty, defects, blank_before, _ = plant_defects(rows, records, rng)
    chunks = [csv_line(HEADER, "\r\n").encode("cp932")]
    key = []
    line = 2
    for i, f in enumerate(dirty):
        if i == blank_before:
            chunks.append(b"\r\n")
            key.append((line, "", "", "", "blank-line"))
            line += 1
        text = csv_line(f, "\r\n")
        chunks.append(text.encode("cp932").replace(BYTE80_MARK.encode("ascii"), b"\x80"))
        if i in defects:
            kind, col = defects[i]
            key.append((line, col if col else "", HEADER[col - 1] if col else "", f[0], kind))
        line += 1 + records[i][-1].count("\n")
    assert len(key) == len(DEFECT_KINDS)
    write_bytes(os.path.join(out, "citizen-survey-2019-dirty.csv"), b"".join(chunks))
    key.sort(key=lambda k: (k[0], k[1] if k[1] != "" else 0))
    lines = ["line,column,column_name,id,kind"] + [",".join(str(x) for x in k) for k in key]
    write_bytes(os.path.join(out, "citizen-survey-2019-dirty-defects.csv"),
                ("\n".join(lines) + "\n").encode("utf-8"))

    print("rows: %d, comments: %d (multi-line %d)" % (
        len(rows), len(texts), sum("\n" in t for t in texts)))
    print("asked Q3: %d" % sum(1 for r in rows if r["Q3"] is not None))
    for (label, target), value in zip(TARGETS, figs):
        print("%-55s %7.4f  (published %.1f%s)" % (label, value, target,
                                                    "" if target < 10 else " %"))
    print("defects planted: %d" % len(key))
    for k in key:
        print("  line %-5s col %-3s %-9s id %-6s %s" % k)


if __name__ == "__main__":
    sys.exit(main())
