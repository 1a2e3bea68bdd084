"""Where the demand table is in the tender text, the columns of a row and how lines are assigned to them."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

TABLE = "顺义区信息化统一运维项目服务需求表"
FIRST_LINE = 2560          # the table starts after this line (1-based)
LAST_LINE = 27406          # last line of row 154 (the next line is "四、服务周期")
CONTRACT_END = "2026-12-31"

# rows whose 序号 is not printed in the text (the cell is empty in the tender)
MANUAL_STARTS = {59: 12189, 60: 12413, 61: 12558, 62: 12720}

CATEGORIES = ["政务办公信息化", "物联网感知", "非现场执法", "政务及安全",
              "桌面及会议保障", "公共安全", "城市管理", "教育教务"]

# --------------------------------------------------------------------------
# column model: (name, min width of a wrapped line, max width)
# widths are display widths (CJK = 2, ASCII = 1), measured on the text
COLS = [
    ("desc", 27, 34),
    ("hw", 11, 19),
    ("dep", 2, 8),
    ("ons", 1, 6),
    ("work", 35, 44),
    ("sla", 27, 35),
]
CI = {c[0]: i for i, c in enumerate(COLS)}
# in continuation chunks the narrow/left columns rarely continue: small cost
CONT_BIAS = {CI["desc"]: 0.15, CI["hw"]: 0.15, CI["dep"]: 0.15, CI["ons"]: 0.15}


def dwidth(text: str) -> int:
    text = text.rstrip()
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def line_cost(text: str, col: int) -> float:
    name, lo, hi = COLS[col]
    w = dwidth(text.strip()) if text.startswith(" ") else dwidth(text)
    terminal = text.endswith(" ")
    if w > hi + 1:
        return 3.0
    if w > hi:
        return 0.6
    if terminal:
        return 0.0
    if w < lo - 3:
        return 1.5
    if w < lo:
        return 0.5
    return 0.0


WORK_HEAD = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*、")
SLA_HEAD = re.compile(r"^\s*(?:\d\s*[.、．]\s*(?:服务方式|故障处理)|[(（]\s*\d\s*[)）]\s*(?:轻微|一般|严重|紧急)故障)")


def content_cost(text, col):
    """Soft evidence from the wording: numbered work sections vs. SLA items."""
    if WORK_HEAD.match(text):
        return 0.0 if COLS[col][0] == "work" else 2.0
    if SLA_HEAD.match(text):
        return 0.0 if COLS[col][0] == "sla" else 2.0
    return 0.0


def assign_columns(lines, allowed, anchors=None, bias=None):
    """Monotone assignment of lines to the columns in `allowed` (indices,
    increasing) minimising the width cost.  anchors: {line index: column}
    forced assignments (soft, high cost)."""
    anchors = anchors or {}
    n, m = len(lines), len(allowed)
    INF = float("inf")
    best = [[INF] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    bias = bias or {}
    for j in range(m):
        best[0][j] = line_cost(lines[0], allowed[j]) + content_cost(lines[0], allowed[j]) \
            + (bias.get(allowed[j], 0) if bias else 0.1 * j)
        if 0 in anchors and anchors[0] != allowed[j]:
            best[0][j] += 10
    for i in range(1, n):
        for j in range(m):
            c = line_cost(lines[i], allowed[j]) + content_cost(lines[i], allowed[j]) \
                + bias.get(allowed[j], 0)
            if i in anchors and anchors[i] != allowed[j]:
                c += 10
            # stay in the same column or move forward (small switch cost)
            cand = [(best[i - 1][k] + (0 if k == j else 0.05), k) for k in range(j + 1)]
            v, k = min(cand)
            best[i][j] = v + c
            back[i][j] = k
    j = min(range(m), key=lambda x: best[n - 1][x])
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = allowed[j]
        j = back[i][j]
    return out


# --------------------------------------------------------------------------
def read_lines(path):
    return Path(path).read_text(encoding="utf-8").split("\n")


def find_row_starts(L):
    starts = {}
    exp = 1
    i = FIRST_LINE
    while i < LAST_LINE and exp <= 154:
        if exp in MANUAL_STARTS:
            starts[exp] = MANUAL_STARTS[exp]
            i = MANUAL_STARTS[exp]
            exp += 1
            continue
        m = re.match(r"^\s*(\d+)(\s|$)", L[i])
        if m and int(m.group(1)) == exp:
            j = i + 1
            while j < len(L) and not L[j].strip():
                j += 1
            rest = L[i][m.end():].strip()
            if (rest and len(rest) <= 4) or (not rest and not re.match(r"^\s*\d", L[j])):
                starts[exp] = i + 1
                exp += 1
        i += 1
    return starts


def row_lines(L, a, b):
    """Non-blank lines a..b (1-based, inclusive) without page-number noise,
    split into page chunks.  Returns list of chunks of (lineno, text)."""
    out = []
    breaks = set()
    n = a
    while n <= b:
        t = L[n - 1]
        if not t.strip():
            n += 1
            continue
        # page number: a line holding a single blank, then a lone number
        if re.fullmatch(r"\s*\d{1,3}\s*", t) and n - 2 >= 1 and L[n - 3] == " " and not L[n - 2].strip() \
                and n != a:
            breaks.add(len(out))
            n += 1
            continue
        out.append((n, t))
        n += 1
    chunks = [[]]
    for idx, (n, t) in enumerate(out):
        if idx > 0 and chunks[-1] and (idx in breaks or (t.startswith(" ") and out[idx - 1][0] == n - 1)):
            chunks.append([])
        chunks[-1].append((n, t))
    return out, chunks


def join_lines(texts, para_sep="\n"):
    """Join wrapped lines: a line ending with a blank ends a paragraph."""
    paras, cur = [], ""
    for t in texts:
        t2 = t.strip(" \u3000")
        if not t2:
            continue
        cur += t2
        if t.endswith(" "):
            paras.append(cur)
            cur = ""
    if cur:
        paras.append(cur)
    return para_sep.join(p for p in paras if p)


DATE_RE = re.compile(r"^2026$")


def parse_row(k, chunks):
    """Split one row into raw cells."""
    cells = {c[0]: [] for c in COLS}
    cells["unit"], cells["name"], cells["date"] = [], [], []
    first = chunks[0]
    idx = 0
    # 序号
    n0, t0 = first[0]
    m = re.match(r"^\s*(\d+)\s*(.*)$", t0)
    if m and int(m.group(1)) == k:
        rest = m.group(2)
        idx = 1
        if rest:
            first = [(n0, rest + " ")] + first[1:]
            idx = 0
    # 用户单位 then 系统名称: lines up to one ending with a blank
    for key in ("unit", "name"):
        while idx < len(first):
            n, t = first[idx]
            idx += 1
            cells[key].append(t)
            if t.endswith(" "):
                break
    # date block: 2026 / 年 M / 月 D / 日
    di = None
    for j in range(idx, len(first)):
        if first[j][1].strip() == "2026" and j + 1 < len(first) and first[j + 1][1].strip().startswith("年"):
            di = j
            break
    if di is None:
        raise SystemExit(f"row {k}: no start date found")
    dj = di
    while dj < len(first) and not first[dj][1].strip().endswith("日") and dj - di < 3:
        dj += 1
    # row 103/104 print "2026 年 3 月" without day: stop after the 月 line
    if not first[dj][1].strip().endswith("日"):
        dj = di + 2
    cells["date"] = [t for _, t in first[di:dj + 1]]
    pre = [t for _, t in first[idx:di]]
    post = [t for _, t in first[dj + 1:]]

    # ---- pre-date: desc, hw, dep, ons
    ons_t, dep_t, hw_t = None, None, None
    if pre:
        toks = pre[-1].split()
        if len(toks) >= 2:
            ons_t = toks[-1] + " "
            dep_t = toks[-2] + " "
            if len(toks) >= 3:
                hw_t = " ".join(toks[:-2]) + " "
            pre = pre[:-1]
        elif dwidth(pre[-1]) <= 6 and pre[-1].endswith(" "):
            ons_t = pre[-1]
            pre = pre[:-1]
    if hw_t is not None:
        cells["desc"] += pre
        cells["hw"].append(hw_t)
    elif pre:
        # the description ends at the last line that can only be description:
        # wider than the hardware column, or the short last line of a wrapped
        # description paragraph
        b = 0
        for j, t in enumerate(pre):
            w = dwidth(t.strip())
            if w > COLS[CI["hw"]][2] or (t.endswith(" ") and j > 0 and not pre[j - 1].endswith(" ")
                  and dwidth(pre[j - 1]) >= 25
                  and not re.match(r"^(服务器|云服务器|\d|无\s*$)", t.strip())):
                b = j + 1
        cells["desc"] += pre[:b]
        rest = pre[b:]
        if rest:
            allowed = [CI["hw"], CI["dep"]] if dep_t is None else [CI["hw"]]
            cols = assign_columns(rest, allowed)
            for t, c in zip(rest, cols, strict=True):
                cells[COLS[c][0]].append(t)
    if dep_t:
        cells["dep"].append(dep_t)
    if ons_t:
        cells["ons"].append(ons_t)
    # ---- post-date: work, sla
    if post:
        anchors = {}
        for j, t in enumerate(post):
            if re.match(r"^\s*1\s*[.、．]\s*服务方式", t):
                anchors[j] = CI["sla"]
                break
        cols = assign_columns(post, [CI["work"], CI["sla"]], anchors)
        for t, c in zip(post, cols, strict=True):
            cells[COLS[c][0]].append(t)
    # ---- continuation chunks
    for ch in chunks[1:]:
        texts = [t for _, t in ch]
        texts[0] = texts[0].lstrip(" ")
        cols = assign_columns(texts, list(range(len(COLS))), bias=CONT_BIAS)
        for t, c in zip(texts, cols, strict=True):
            cells[COLS[c][0]].append(t)
    return cells




def _nows(text):
    return re.sub(r"\s+", "", text or "")
