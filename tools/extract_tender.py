#!/usr/bin/env python3
"""Extract the Shunyi 2026 service demand table (顺义区信息化统一运维项目服务需求表)
from the flattened PDF text of the tender into a YAML catalog.

Usage (from the repository root):
    python3 tools/extract_tender.py ../shared/tender/000_78531836804d5cc0.txt \
        src/tongyun/catalog/data/shunyi_2026.yaml

Only the standard library and PyYAML are used.

How the text is laid out
------------------------
The PDF-to-text conversion emits, for every page, the cells of each table row
one after another (序号, 用户单位, 系统名称, 系统简介, 配套硬件, 部署情况,
驻场人员要求, 服务开始时间, 运维工作内容, 服务保障要求), each cell as short
lines separated by blank lines.  A line that ends with a blank is the end of a
paragraph inside a cell.  When a row crosses a page, the next page repeats the
same column order with the continuation of every cell that did not fit
("continuation chunk").  A page break shows as a non-blank line that starts
with a blank and directly follows the previous non-blank line (no blank line
between them); some pages also carry a lone page number preceded by a line
holding a single blank.

The script
1. finds the rows by their 序号 (rows 59-62 carry no printed number; their
   start lines are listed in MANUAL_STARTS),
2. splits every row into page chunks,
3. assigns every line of a chunk to a column with a small dynamic programme
   that uses the typical line widths of each column (the columns have fixed
   widths, so a wrapped line almost fills its column),
4. joins the cells and parses cadences, 等保, SLA tiers, … from them,
5. applies CORRECTIONS (hand review, keyed by row number) last.
"""
from __future__ import annotations

import datetime as _dt
import re
import sys
import unicodedata
from pathlib import Path

import yaml

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


# --------------------------------------------------------------------------
# parsing helpers
UNITS = {"分钟": "minute", "分": "minute", "小时": "hour", "个小时": "hour", "h": "hour",
         "工作日": "working_day", "个工作日": "working_day", "天": "day", "日": "day", "个日": "day"}
CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9, "十": 10, "半": 0.5, "十二": 12, "二十四": 24, "四十八": 48, "七十二": 72}
NUM = r"(\d+(?:\.\d+)?|半|一|二|两|三|四|五|六|七|八|九|十二|二十四|四十八|七十二|十)"
UNIT = r"(个工作日|工作日|个小时|小时|分钟|天|日)"


def _num(s):
    if s in CN_NUM:
        return CN_NUM[s]
    v = float(s)
    return int(v) if v.is_integer() else v


def _val(m):
    if not m:
        return None
    unit = m.group(2).replace("个", "")
    return {"value": _num(m.group(1)), "unit": UNITS[unit]}


def find_target(text, verbs):
    """First '<n> <unit> 内 … <verb>' in text."""
    verbs_re = "|".join(verbs)
    m = re.search(NUM + r"\s*个?\s*" + UNIT + r"\s*(?:以)?内?\s*(?:(?:完成|给予电话|给予|作出|做出|进行|必须|须|需|定位并|紧急)\s*)?(?:"
                  + verbs_re + ")", text)
    if not m:
        # "响应≤15 分钟" (row 5, line 3417)
        m = re.search(r"(?:" + verbs_re + r")\s*[≤<]\s*" + NUM + r"\s*个?\s*" + UNIT, text)
    if not m:
        # "<verb>…不超过 N <unit>" (e.g. 单次维修周期不超过 24 小时)
        m = re.search(r"(?:" + verbs_re + r")[^，,。；;]{0,8}?(?:不得?超过|不得?多于)\s*" + NUM + r"\s*个?\s*" + UNIT, text)
    return _val(m)


RESP = ["响应", "回应"]
ARRIVE = ["到达现场", "到达用户现场", "到场", "到现场", "赶到现场", "赶赴现场", "到达", "抵达"]
REPAIR = ["修复", "日内修复", "修", "解决", "排除", "处理完毕", "完成修复", "完成处理", "处理", "完成整改", "整改", "维修周期"]
RESTORE = ["应急恢复", "恢复"]

SEVERITY_KEYS = ("minor", "general", "serious", "urgent")
TIER_NAMES = {"轻微": "minor", "一般": "general", "严重": "serious", "紧急": "urgent",
              "重大": "serious", "致命": "urgent", "普通": "general"}


# A tier label: "(1)轻微故障" numbered, or "轻微故障" at the start of a line (rows 118, 138: the tiers are
# not numbered).  The definition in brackets is optional (rows 125, 127: "(3)严重故障：…") and its closing
# bracket may be missing (rows 44-46, 48: "（对业务影响极小或无影响：8 小时内响应") — it then ends at the colon.
_TIER_LABEL = r"(?:[(（]\s*\d\s*[)）]\s*|(?m:^)\s*)(?:ü\s*)?(轻微|一般|严重|紧急)故障"
_TIER_RE = re.compile(
    _TIER_LABEL + r"\s*(?:[（(]([^）)：:]*)[）)]?\s*[：:，,]?|\s*[：:，,])\s*(.*?)"
    r"(?=" + _TIER_LABEL + r"|\n\s*\d\s*[.、．]|值班要求|重保要求|$)", re.S)


def parse_sla(sla):
    tiers = []
    for m in _TIER_RE.finditer(sla):
        label, definition, body = m.group(1), m.group(2), m.group(3).replace("\n", "").strip().rstrip("；;。")
        if definition is None and "）" in body[:40] and "（" not in body[:40]:
            # "(1)轻微故障：对业务影响极小或无影响），远程电话处理" (row 125): the opening bracket is missing
            definition, body = body.split("）", 1)
            body = body.lstrip("，,：: ")
        tiers.append(make_tier(TIER_NAMES[label], label + "故障", definition, body))
    return tiers


def make_tier(tier, label, definition, body, notes=None):
    t = {
        "tier": tier,
        "tier_label": label,
        "definition": definition,
        "response": find_target(body, RESP),
        "arrival": find_target(body, ARRIVE),
        "repair": find_target(body, REPAIR),
        "restore": find_target(body, RESTORE),
        "text": body,
        "notes": notes,
        "applies_when": "always",
        "repair_from_arrival": False,
    }
    # "到达现场后 1 小时内修复" (row 22, lines 6263-6275): the repair clock starts on arrival
    if re.search(r"到达(?:故障)?现场后\s*" + NUM + r"\s*个?\s*" + UNIT + r"\s*内\s*(?:修复|解决|排除)", body):
        t["repair_from_arrival"] = True
    # "N 小时内修复（含响应时间）": repair counted from the report, the response inside it
    if t["repair"] and not t["response"] and re.search(r"[（(]\s*含响应时间\s*[)）]", body):
        t["response"] = dict(t["repair"])
        t["notes"] = ((notes + "; ") if notes else "") + "含响应时间: the response falls inside the repair time " \
            "counted from the report"
    return t


def health_tiers(flat):
    """卫健委 template: 1 h response, 4 h on site, general fault 1 working day,
    major fault (service interruption) 2 h emergency restore."""
    resp = find_target(flat, RESP)
    arr = find_target(flat, ["到达用户现场", "到达现场"])
    m_gen = re.search(r"一般故\s*障的处理时间为\s*" + NUM + r"\s*个?\s*" + UNIT, flat)
    m_maj = re.search(r"重大故\s*障[^：:]*?应在\s*" + NUM + r"\s*个?\s*" + UNIT + r"\s*内\s*应急恢", flat)
    gen_text = re.search(r"出现故障时.*?一般故\s*障的处理时间为[^;；。]*", flat)
    maj_text = re.search(r"重大故\s*障\s*[(（][^)）]*[)）][^;；。0-9]*?\d+\s*小时内\s*应急恢\s*复?", flat)
    return [
        {"tier": "general", "tier_label": "一般故障", "definition": None,
         "response": resp, "arrival": arr, "repair": _val(m_gen), "restore": None,
         "text": gen_text.group(0) if gen_text else None,
         "notes": "response and on-site targets are stated for any fault (出现故障时…响应；远程不能解决的…到达用户现场)"},
        {"tier": "serious", "tier_label": "重大故障", "definition": "服务中断",
         "response": resp, "arrival": arr, "repair": None, "restore": _val(m_maj),
         "text": maj_text.group(0) if maj_text else None,
         "notes": "应急恢复 target; response/on-site targets shared with all faults"},
    ]


# Device classes: the tender's own kind names are kept as written ("车卡（车辆出入口抓拍机）"); the class
# (摄像机, 服务器, …) is what mapping and reports group by. First match wins (on the name without its
# parenthesis first, then on the whole name).
DEVICE_TYPES = [
    ("硬盘录像机", r"硬盘录像机|NVR|监控存储终端|监控录像机|存储主机"),
    ("存储", r"磁盘阵列|存储设备|存储服务器|云存储|存储类设备|^存储$|NAS"),
    ("服务器", r"服务器|工控机|管理节点|运维节点"),
    ("摄像机", r"摄像机|摄像头|抓拍机|抓拍相机|卡口相机|枪机|球机|人卡|车卡|监控设备|视频监控"),
    ("交换机", r"交换机"),
    ("防火墙", r"防火墙|防毒墙|WAF|DDOS|入侵防御|入侵检测|IPS|上网行为|安全设备|安全类设备|堡垒机|日志审计|漏洞扫描"),
    ("网络设备", r"路由器|网络设备|网络类设备|网路设备|光端机|光模块|网关|负载均衡|VPN|单模模块"),
    ("终端", r"终端|自助服务机|自助查询机|取号机|PAD|电脑|门禁|报警|拾音器|传感器|探测器|采集"),
    ("显示设备", r"显示|大屏|LED|投影|屏"),
    ("动力环境", r"UPS|空调|新风|配电|机柜|电源|基础设施"),
]
# Items of the hardware column that are not devices a platform watches: links, lines, signs, poles,
# software, certificates, virtual machines and consumables. They stay in the text, not in the inventory.
NOT_DEVICES = (r"链路|专线|线路|标志牌|标牌|证书|软件：|接入软件|跳线|灭火剂|钢瓶|启动瓶|喷嘴|杆件|杆位|杆体|端面数|"
               r"虚拟机|街道的|流量卡")
_UNIT = r"(?:台（套）|台\(套\)|台套|台|个|套|路|块|根|条|对|只|张|组|部)"
_NUM = r"(?P<n>\d[\d,]*)"
_ITEM_PATTERNS = [
    # "车卡（车辆出入口抓拍机）：1,529台", "服务器 5 台", "视频管理服务器（2 台）", "UPS1台", "千兆单模模块（10KM）64 个"
    re.compile(r"^(?P<name>\D.*?)\s*[：:]?\s*[（(]?\s*" + _NUM + r"\s*(?P<unit>" + _UNIT + r")"),
    # "3 台硬盘录像机", "89 个枪机（抓拍机）", "24 个 8GB 光纤模块"
    re.compile(r"^" + _NUM + r"\s*(?P<unit>" + _UNIT + r")\s*(?P<name>[^，、；;。]+)"),
    # "9 枪机", "113枪机" (not "255型 GPRS 数据模块": a model number)
    re.compile(r"^" + _NUM + r"\s*(?P<unit>)(?P<name>(?!型|" + _UNIT + r")[^\d\s.．、][^\d，、；;。]*)$"),
    # "发送卡 5", "服务器 7", "网路设备 12"
    re.compile(r"^(?P<name>\D.*?)\s*[：:]?\s*" + _NUM + r"(?P<unit>)\s*$"),
]
# headings the tender puts before a list ("具体包括：3 台…", "网络安全设备：DDOS 2 台")
_HEADINGS = (r"部署设备|具体包括|其中|包括|前端|后端设备|后端|平台端硬件|车辆配套|弱电井机房|核心机房|指挥中心|分中心|"
             r"网络设备|网络安全设备|多种多媒体硬件设施|数据备份硬件|系统配套硬件包括|服务器物理机属于区政务局资产")


def device_class(name):
    bare = re.sub(r"[（(].*?[）)]", "", name)
    for candidate in (bare, name):
        for typ, rx in DEVICE_TYPES:
            if re.search(rx, candidate, re.IGNORECASE):
                return typ
    return "其他"


def _clean_name(name):
    name = re.sub(r"\s+", " ", name).strip(" ：:等")
    if ("：" in name or ":" in name):
        before, after = re.split(r"[：:]", name, maxsplit=1)[0], re.split(r"[：:]", name)[-1]
        name = after if re.fullmatch(_HEADINGS, before.strip()) or not after.strip() else f"{before}（{after}）"
    name = re.sub(r"(?:共计|共|数量)$", "", name.strip())
    name = re.sub(r"^(?:共计|共|其余|其中)\s*", "", name)
    if name.count("（") > name.count("）"):
        name = name[:name.rindex("（")]
    if name.count("(") > name.count(")"):
        name = name[:name.rindex("(")]
    # PDF spacing artefacts: "高清 MCU" → "高清MCU", "智慧门禁 设备" → "智慧门禁设备"; "Agile Controller" stays
    name = re.sub(r"(?<=[\u4e00-\u9fff（）]) (?=\S)|(?<=\S) (?=[\u4e00-\u9fff（）])", "", name)
    return name.strip(" ：:（(")


def _device_item(piece):
    """(kind name, count, unit) of one listed item, or None."""
    p = re.sub(r"^\s*(?:\d{1,2}\s*[.、．]|[一二三四五六七八九十]、)\s*", "", piece).strip()
    p = re.sub(r"^[（(]?与[^，。]*?共用\s*(.*?)[）)]?$", r"\1", p)   # "与区域临床检验中心系统共用 1 台服务器"
    bare = re.sub(r"^(?:" + _HEADINGS + r")\s*[：:]\s*", "", p)
    return _match_item(bare) or (_match_item(p) if bare != p else None)


def _match_item(p):
    for pattern in _ITEM_PATTERNS:
        m = pattern.search(p)
        if not m:
            continue
        name = _clean_name(m.group("name"))
        count = int(m.group("n").replace(",", ""))
        if not name or count == 0 or re.search(NOT_DEVICES, name + p[m.end():]):
            return None
        return name, count, m.group("unit") or ""
    return None


def _join_wrapped(hw):
    """Undo the PDF's line wrapping inside an item: "数据库审计 1⏎台", "七氟丙烷灭火剂钢瓶⏎12 个",
    "LED⏎屏 3 个", "(含 VPC600⏎摄像头、…) 23 台". A line that already holds a count ends its item."""
    lines = [line.strip() for line in hw.split("\n") if line.strip()]
    out = []
    for line in lines:
        if out:
            last = out[-1]
            open_paren = (last.count("（") + last.count("(")) > (last.count("）") + last.count(")"))
            unit_first = re.match(_UNIT, line)
            heading = re.search(r"[：:]$", last)
            tail = re.sub(r"^\s*\d{1,2}\s*[.、．]", "", re.split(r"[，、；;。]", last)[-1])  # the unfinished item
            no_count = tail and not re.search(r"\d", tail) and not heading \
                and not re.match(r"^\d{1,2}\s*[.、．]", line)
            if open_paren or unit_first or (re.search(r"\d$", last) and unit_first) or no_count:
                out[-1] = last + ("" if unit_first or re.search(r"[\u4e00-\u9fff]$", last) else " ") + line
                continue
        out.append(line)
    return "\n".join(out)


def _paren(m):
    prefix, inner = m.group(1), m.group(2)
    if not re.search(r"\d", prefix) and len(re.findall(r"\d+\s*" + _UNIT, inner)) >= 2:
        return inner   # "安全设备（业务网关 1台、入侵防御 1台、…）": the parenthesis is the list
    return prefix + "（" + re.sub(r"[、，,+]", "/", inner) + "）"   # a breakdown or remark: one item


def parse_devices(hw):
    """The devices the 配套硬件 cell lists, one entry per kind as the tender names it, with its count.

    Wrapped lines are joined first; items are split at the list separators; a total with its breakdown
    ("服务器 23 台(21 台服务器+1 台…)") counts once, by the total; links, signs, software and the like
    (NOT_DEVICES) are not devices.
    """
    if not hw or hw.strip() in ("无", "不涉及"):
        return []
    devs = []
    text = _join_wrapped(hw)
    text = re.sub(r"([^，、；;。\n（(]*)[（(]([^）)]*)[）)]", _paren, text)
    text = re.sub(r"(?<=\d)[.．](?=[^\d\s])", "、", text)   # "大屏 1.控制设备 90台" (a list number inside a line)
    for piece in re.split(r"(?<!\d),|(?<=\d),(?!\d{3})|[，、；;。\n]", text):
        item = _device_item(piece)
        if item is None:
            continue
        name, count, _unit = item
        devs.append({"type": device_class(name), "kind": name[:100], "model": None, "count": count,
                     "location": None, "text": piece.strip()})
    return devs


# Hardware cells the page breaks scattered over other columns: (field, tender words as extracted,
# as the tender prints them). Row 23 (tender lines 6460–6511): the 门禁 item's second half and the
# 人卡 and 接入软件 items landed in 系统简介 and 运维工作内容.
DEVICE_CORRECTIONS = {
    23: [("hardware", "门禁（智慧门禁设人卡（社区人脸抓拍机）：2306 台\n前端智能感知设备",
          "门禁（智慧门禁设备）：417 台\n人卡（社区人脸抓拍机）：2306 台\n前端智能感知设备接入软件：647 套"),
         ("description", "\n备）：417 台", ""),
         ("work_content", "\n接入软件：647 套", "")],
}


_CN_COUNT = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "六": 6, "十": 10, "十二": 12, "十五": 15, "七": 7}
_COUNT = r"(\d+|一|两|二|三|四|六|七|十二|十五|十)"
_AT_LEAST = r"(?:不低于|不少于|至少)?\s*"


def _count(text):
    return int(text) if text.isdigit() else _CN_COUNT[text]


def _per_year(n):
    """N 次/年 → a frequency (and an RRULE when the number needs one)."""
    named = {1: "annual", 2: "semiannual", 4: "four_per_year", 12: "monthly"}
    if n in named:
        return named[n], ""
    if 12 % n == 0:
        return "times_per_year", f"FREQ=MONTHLY;INTERVAL={12 // n};BYMONTHDAY=1"
    return None, ""


def _every_days(n):
    if n == 7:
        return "weekly", ""
    if n == 10:
        return "ten_daily", ""
    return "every_n_days", f"FREQ=DAILY;INTERVAL={n}"


# (regex, frequency or callable(match) -> (frequency, rrule)); the first that matches a clause wins.
FREQS = [
    (r"工作日每日|每个工作日|工作日每天|每工作日", "working_daily"),
    (r"每(?:个)?季度\s*" + _AT_LEAST + r"(?:2|两|二)\s*次", "semiquarterly"),
    (r"每月[^，,。；;\d]{0,8}?" + _AT_LEAST + r"(?:2|两|二)\s*次|每半月|每两周", "semimonthly"),
    (r"每\s*" + _COUNT + r"\s*天", lambda m: _every_days(_count(m.group(1)))),
    (r"(\d+)\s*次\s*/\s*年", lambda m: _per_year(int(m.group(1)))),
    (r"(\d+)\s*次\s*/\s*月", lambda m: _per_year(12 * int(m.group(1))) if m.group(1) == "1" else ("semimonthly", "")
     if m.group(1) == "2" else (None, "")),
    (r"每年[^，,。；;]{0,14}?" + _AT_LEAST + _COUNT + r"\s*次", lambda m: _per_year(_count(m.group(1)))),
    (r"每天|每日|（每天）", "daily"),
    (r"每周|每星期|周巡检|周检查", "weekly"),
    (r"每旬|每十天", "ten_daily"),
    (r"每两个?月|每\s*2\s*个月|每双月", "bimonthly"),
    (r"每半年|每\s*6\s*个月|半年一次", "semiannual"),
    (r"每季度|每个季度|季度一次|每\s*3\s*个月|每三个月|以季度为单位", "quarterly"),
    (r"每月|每个月|月度巡检|月度检查|一月一次|月检查", "monthly"),
    (r"每年一次|一年一次|每年", "annual"),
    (r"按需|根据需要|不定期", "on_demand"),
]
INSPECTION_WORD = re.compile(r"巡检|巡查|巡视|检查|维护\s*\d\s*次|维护\s*[一两二]\s*次|校准")
# clauses that name an inspection and a cadence but ask for something else (flagged as exceptions)
CADENCE_NOT_INSPECTION = [
    (r"报告|汇总|报表|月报", "a report about inspections, not an inspection"),
    (r"培训", "training, not an inspection"),
]
# row: [(phrase, tender line or None, reason)] — cadence phrases that are not inspection plans
CADENCE_ROW_EXCEPTIONS: dict[int, list[tuple[str, int | None, str]]] = {
    # lines 22830-22840: 3.安全运维：漏洞扫描，1 次/年；安全配置人工核查，2 次/年；…主机加固，4 次/年；…安全通告，12次/年
    126: [("主机加固，4 次/年", None, "host hardening (安全运维 service), not an inspection"),
          ("安全通告，12次/年", None, "security notices (安全运维 service), not an inspection")],
}


def cadence_of(clause):
    for rx, freq in FREQS:
        m = re.search(rx, clause)
        if m:
            return freq(m) if callable(freq) else (freq, "")
    return None, ""


# How the tender says an inspection is done. On site: 现场 / 实地 / 上门, and 驻场 (the resident staff do it
# where they sit). Remote: 远程 / 线上 / 网络登录 (logging in over the network). "无现场…要求" denies on site.
# A clause naming both ("通过现场或远程登录服务器的方式") leaves the mode open, as does a clause naming neither:
# the tender is silent there and the platform says so rather than guess.
ONSITE_WORDS = re.compile(r"(?<!无)现场|实地|上门|驻场")
REMOTE_WORDS = re.compile(r"远程|线上|网络登录")


def _mode(clause):
    remote, onsite = REMOTE_WORDS.search(clause), ONSITE_WORDS.search(clause)
    if remote and onsite:
        return "unspecified"
    if remote:
        return "remote"
    if onsite:
        return "onsite"
    return "unspecified"


def clauses(text):
    return [c.strip() for c in re.split(r"[，,。；;\n]", text or "") if c.strip()]


def sentences(text):
    """(sentence, its clauses): a cadence keeps the sentence it is stated in as its text
    ("安全配置人工核查，2 次/年")."""
    return [(sent.strip()[:160], clauses(sent)) for sent in re.split(r"[。；;\n]", text or "") if sent.strip()]


def parse_inspections(section_text, other_text="", row=None):
    """Every cadence the row states: each clause of the inspection section with a cadence, and each
    clause elsewhere (other work items, the SLA cell) that names an inspection with a cadence.
    The same frequency stated twice is one plan; a stated mode (远程/现场) wins over none."""
    skip = [_nows(phrase) for phrase, _, _ in CADENCE_ROW_EXCEPTIONS.get(row, [])]
    res = []
    candidates = [(sent, c, True) for sent, cs in sentences(section_text) for c in cs] + \
        [(sent, c, False) for sent, cs in sentences(other_text) for c in cs]
    for sent, c, in_section in candidates:
        if not in_section and not INSPECTION_WORD.search(c):
            continue
        if any(re.search(rx, c) for rx, _ in CADENCE_NOT_INSPECTION) or any(k in _nows(sent) for k in skip):
            continue
        freq, rule = cadence_of(c)
        if freq is None:
            continue
        mode = _mode(c)
        same = [i for i in res if i["frequency"] == freq and i.get("rrule", "") == rule]
        again = next((i for i in same if i["mode"] == mode), None) or \
            (same[0] if same and mode == "unspecified" else None)
        if again is None:
            unspecified = next((i for i in same if i["mode"] == "unspecified"), None)
            if unspecified is not None:
                unspecified["mode"] = mode        # the mode stated later applies to that cadence
                again = unspecified
        if again is not None:
            # the same cadence stated again: one plan, its text keeps every statement
            if _nows(sent) not in _nows(again["text"]):
                again["text"] += " / " + sent
            continue
        item = {"frequency": freq, "mode": mode, "text": sent}
        if rule:
            item["rrule"] = rule
        res.append(item)
    return res


def cadence_exception_flags(rec):
    both = (rec["work_content"] or "") + "\n" + (rec["sla_text"] or "")
    flags, seen = [], set()
    for c in clauses(both):
        if not INSPECTION_WORD.search(c) or cadence_of(c)[0] is None:
            continue
        for rx, reason in CADENCE_NOT_INSPECTION:
            if re.search(rx, c) and c not in seen:
                seen.add(c)
                flags.append({"field": "inspections", "note": reason, "phrase": c})
    for phrase, line, reason in CADENCE_ROW_EXCEPTIONS.get(rec["row"], []):
        if _nows(phrase) not in _nows(both):
            raise SystemExit(f"row {rec['row']}: cadence exception {phrase!r} not in the row")
        flag = {"field": "inspections", "note": reason, "phrase": phrase}
        if line:
            flag["line"] = line
        flags.append(flag)
    return flags


def section(work, head_rx, stop_rx=r"^[一二三四五六七八九十]\s*、"):
    """Text of a numbered section of the work content (paragraph list)."""
    paras = work.split("\n")
    out, on = [], False
    for p in paras:
        if re.match(head_rx, p.strip()):
            on = True
            out.append(p)
            continue
        if on and re.match(stop_rx, p.strip()):
            break
        if on:
            out.append(p)
    return out


def iso_date(date_lines):
    s = "".join(t.strip() for t in date_lines).replace(" ", "")
    m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", s)
    if m:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), s
    return None, s


MLPS_WORDS = re.compile(r"等保|测评|[一二三四五]级|不涉及|^无")


def mlps_statement(section_paras):
    """The 等保 statement of the 等保 section (its heading paragraph first):
    the statement after the heading ("五、等保测评：二级等保…") and the
    following paragraphs that talk about 等保; stray lines of other cells and
    the following numbered items (e.g. 1.驻场服务) are dropped."""
    head, paras = section_paras[0].strip(), section_paras[1:]
    m = re.match(r"^[一二三四五六七八九十]{1,2}\s*[、.．]\s*为?等保(?:测评)?(?:[^：:（(]{0,12}[：:])?\s*(.*)$", head)
    rest = m.group(1).strip() if m else ""
    keep = []
    if rest.startswith(("（", "(")):
        keep.append(head)          # e.g. "四、等保（未做等保）"
    elif rest:
        keep.append(rest)
    for p in paras:
        p = p.strip()
        if not p:
            continue
        if re.match(r"^\d+\s*[.、．]", p) and keep:
            break          # next numbered item (e.g. 1.驻场服务 after the statement)
        if keep and not re.search(r"[。；;）)]$", keep[-1]) and len(p) <= 20 and re.match(r"^\d{4}\s*年", p):
            keep[-1] += p  # "…上次测评时间" + "2025 年；" (wrapped in the tender)
            continue
        if MLPS_WORDS.search(p):
            keep.append(p)
    if not keep:
        keep = [p.strip() for p in paras if p.strip()][:1]
    return "\n".join(keep) or None


def move_sla_fragments(work, sla):
    """A severity tier split by a page break sometimes leaves its tail
    ("响应，24 小时内修复；") among the work-content lines of the continuation
    chunk.  Put such tails back where the SLA text breaks off."""
    paras = work.split("\n")
    kept = []
    for p in paras:
        m = re.match(r"^(响应|应)\s*[，,]\s*\d", p.strip())
        if m:
            head = "内响" if m.group(1) == "应" else "内"
            gap = re.search(r"(?<=" + head + r")(?=\s*[(（]\s*\d\s*[)）])", sla)
            if gap and (head == "内响" or not sla[:gap.start()].endswith("内响")):
                sla = sla[:gap.start()] + p.strip() + "\n" + sla[gap.start():].lstrip()
                continue
        kept.append(p)
    return "\n".join(kept), sla


def deployment_kind(dep):
    d = dep.replace("\n", "")
    if re.search(r"SAAS|SaaS|saas", d):
        return "saas"
    if "公有云" in d or "阿里云" in d or "联通云" in d or "太极云" in d:
        return "public_cloud"
    if "政务云" in d:
        return "gov_cloud"
    if "专网" in d or "政务外网" in d:
        return "special_network"
    if "区信息中心" in d or "信息中心机房" in d or "服务器托管" in d:
        return "district_idc"
    if "机房" in d or "本地" in d:
        return "unit_room"
    if "不涉及" in d:
        return "other"
    return "other"


def onsite_count(t):
    s = t.replace("\n", "").strip()
    if s in ("无", "不涉及", "0", "否"):
        return 0
    m = re.fullmatch(r"(\d+)\s*(人|名)?", s)
    if m:
        return int(m.group(1))
    return None


def parse_mlps(t):
    level = None
    mm = re.search(r"([一二三四五])级", t)
    if mm:
        level = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}[mm.group(1)]
    year = None
    my = re.search(r"(20\d\d)\s*年[^，,；;）)]*?已(?:做|完成|测评)", t) or \
        re.search(r"上次(?:等保|测评|完成|等保测评)?(?:时间)?(?:为)?\s*(20\d\d)", t)
    if my:
        year = int(my.group(1))
    due = bool(re.search(r"2026\s*年\s*\d*\s*月?\s*前|2026\s*年(?:需|要|进行|开展|做|测评|等保)|提供\s*2026\s*年等保|需(?:要)?(?:进行)?(?:等保)?测评|需做|待测评", t))
    return level, year, due


# --------------------------------------------------------------------------
def build(tender_path):
    L = read_lines(tender_path)
    starts = find_row_starts(L)
    assert len(starts) == 154, len(starts)
    systems = []
    for k in range(1, 155):
        a = starts[k]
        b = starts[k + 1] - 1 if k < 154 else LAST_LINE
        flat, chunks = row_lines(L, a, b)
        cells = parse_row(k, chunks)
        systems.append(make_record(k, flat, cells))
    return {"source": {"file": Path(tender_path).name, "table": TABLE, "service_year": 2026},
            "systems": systems}


_PDF_GAP = re.compile(r"(?<=[\u4e00-\u9fff）])\s+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9.])\s+(?=[\u4e00-\u9fff（])")


def close_pdf_gaps(text):
    """The PDF conversion puts a blank between Chinese and Latin letters or digits ("OA 系统", "基层 LIS系统");
    names keep the tender's own spelling ("OA系统")."""
    return _PDF_GAP.sub("", text)


def make_record(k, flat, cells):
    unit = close_pdf_gaps(join_lines(cells["unit"], ""))
    name = close_pdf_gaps(join_lines(cells["name"], ""))
    desc = join_lines(cells["desc"])
    hw = join_lines(cells["hw"]) or None
    dep = join_lines(cells["dep"]) or None
    ons = join_lines(cells["ons"]) or None
    work = join_lines(cells["work"])
    sla = join_lines(cells["sla"])
    work, sla = move_sla_fragments(work, sla)
    start, date_raw = iso_date(cells["date"])
    flags = []
    if start is None:
        flags.append({"field": "service_start", "note": f"服务开始时间写作“{date_raw}”，无具体日期"})
    rec = {
        "row": k,
        "source_lines": [flat[0][0], flat[-1][0]],
        "unit": unit,
        "name": name,
        "category": None,
        "description": desc,
        "hardware": hw,
        "devices": parse_devices(hw),
        "deployment": dep,
        "deployment_kind": deployment_kind(dep or ""),
        "onsite_staff": ons,
        "onsite_staff_count": onsite_count(ons or ""),
        "service_start": start.isoformat() if start else None,
        "service_end": CONTRACT_END,
        "service_mode": None,
        "inspection_text": None,
        "inspections": [],
        "mlps_text": None,
        "mlps_level": None,
        "mlps_last_assessment_year": None,
        "mlps_due_2026": False,
        "network_power_text": None,
        "work_content": work,
        "sla_text": sla,
        "sla_form": "other",
        "sla": [],
        "duty_text": None,
        "duty_required": False,
        "major_event_text": None,
        "major_event_required": False,
        "flags": flags,
    }
    both = work + "\n" + sla
    # service mode
    m = re.search(r"服务方式\s*[：:]\s*([^\n]*)", both)
    if m:
        rec["service_mode"] = m.group(1).strip().rstrip("；;。")
    # inspection
    insp = section(work, r"^[一1]\s*[、.．]\s*(项目|系统|月度|硬件)?\s*巡检")
    if not insp:
        insp = [p for p in work.split("\n") if "巡检" in p][:1]
    body = "\n".join(insp) if insp else ""
    if insp:
        head = insp[0]
        t = re.sub(r"^[一1]\s*[、.．]\s*", "", head.strip())
        rec["inspection_text"] = t
    rest = "\n".join(p for p in (work + "\n" + sla).split("\n") if p not in insp)
    rec["inspections"] = parse_inspections(body, rest, k)
    # 等保
    ml = section(work, r"^[一二三四五六七八九十]{1,2}\s*[、.．]\s*为?等保")
    if ml:
        rec["mlps_text"] = mlps_statement(ml)
    else:
        mm = re.search(r"[^\n]*等保[^\n]*", work)
        rec["mlps_text"] = mm.group(0).strip() if mm else None
    if rec["mlps_text"]:
        lv, yr, due = parse_mlps(rec["mlps_text"])
        if re.search(r"不涉及|^无", rec["mlps_text"]):
            lv = None if not re.search(r"[一二三四五]级", rec["mlps_text"]) else lv
        rec["mlps_level"], rec["mlps_last_assessment_year"], rec["mlps_due_2026"] = lv, yr, due
    np_ = section(work, r"^[四4]\s*[、.．]\s*提供配套网络")
    if np_:
        rec["network_power_text"] = "\n".join(np_[1:]).strip() or None
    # SLA
    flat_sla = sla.replace("\n", "")
    tiers = parse_sla(sla)
    if tiers:
        rec["sla"] = tiers
        rec["sla_form"] = "severity_tiers"
    elif re.search(r"出现故障时在\s*1\s*小时内\s*响应", flat_sla):
        rec["sla_form"] = "health_template"
        rec["sla"] = health_tiers(flat_sla)
    elif re.search(r"\d\s*(?:个)?\s*(小时|分钟|工作日|天)\s*内", flat_sla) or \
            any(find_target(flat_sla, v) for v in (RESP, ARRIVE, REPAIR, RESTORE)):
        body = re.sub(r"^.*?故障处理[^：:]*[：:]", "", flat_sla) if "故障处理" in flat_sla else flat_sla
        t = make_tier("general", "故障处理", None, body.strip())
        t["text"] = body[:300].strip()
        t["notes"] = "no severity tiers in the tender; first targets found in the text"
        rec["sla"] = [t]
    elif re.search(r"及时", flat_sla):
        rec["sla_form"] = "timely_only"
    # duty / major events
    sentences = re.split(r"(?<=[。；;])|\n", sla + "\n" + work)
    duty_s = [x.strip() for x in sentences if re.search(r"值班|值守", x)]
    major_s = [x.strip() for x in sentences
               if re.search(r"重保|重大活动|重大节假日|重要时段|重要时间段|重大会议|两会|重点时期|重大勤务|安保", x)]
    if duty_s:
        rec["duty_text"] = "\n".join(dict.fromkeys(duty_s))
        rec["duty_required"] = True
    if major_s:
        rec["major_event_text"] = "\n".join(dict.fromkeys(major_s))
        rec["major_event_required"] = True
    m = re.search(r"值班要求\s*[：:]\s*([^\n]*)", both)
    if m:
        rec["duty_text"] = m.group(1).strip()
        rec["duty_required"] = not re.fullmatch(r"无[。.]?|不涉及[。.]?", rec["duty_text"])
    m = re.search(r"重保要求\s*[：:]\s*([^\n]*)", both)
    if m:
        rec["major_event_text"] = m.group(1).strip()
        rec["major_event_required"] = not re.fullmatch(r"无[。.]?|不涉及[。.]?", rec["major_event_text"])
    return rec


# --------------------------------------------------------------------------
# Hand corrections after review, keyed by row number.  Values replace the
# extracted values (a dict for "sla" tiers replaces the whole list).
def _t(v, u):
    return {"value": v, "unit": u}


def _flag(field, note):
    return [{"field": field, "note": note}]


def _tier(tier, label, text, notes=None, definition=None, **targets):
    """A hand-written tier.  Extra keys: severity (default: the tier key when it is a severity, else
    "other": chosen on the ticket by its tier key), applies_when (always / business_hours /
    outside_business_hours / major_event), repair_from_arrival."""
    t = {"tier": tier, "tier_label": label, "definition": definition, "response": None, "arrival": None,
         "repair": None, "restore": None, "text": text, "notes": notes}
    t.update(targets)
    return t


_NO_INSPECTION = _flag("inspections", "the row states no inspection (巡检) requirement")
_TIMELY = _flag("sla", "服务保障要求 sets no time limit: “根据派单情况，及时维修、根据故障比例准备备品备件”")
_RECTIFY = _flag("sla", "only time limit in the row: “若出现不达标情况，24 小时内完成整改” (KPI rectification), "
                        "stored as repair")

_NO_SEQ = [{"field": "row", "note": "序号 cell is empty in the tender text; row number assigned by position (between rows 58 and 63)"}]

CORRECTIONS: dict[int, dict] = {
    # 系统简介 and 配套硬件 share one text line: "二级等保 38 个，三级等保 14个 无 不涉及 无"
    11: {"description": "二级等保 38 个，三级等保 14个", "hardware": "无", "devices": [],
         "flags+": [{"field": "sla", "note": "等保测评 project: the row states no fault-handling targets"},
                    {"field": "inspections", "note": "等保测评 project: no inspection requirement"}],
         "mlps_text": "为本项目范围内系统（原系统运维不含等保测评服务）提供 2026 年等保测评服务，其中：二级等保 38 个，三级等保 14 个。",
         "mlps_level": None, "mlps_due_2026": True},
    # "服务于公安分局的链路 VPN 账号 无" = 系统简介 + 配套硬件
    20: {"description": "账号服务\n服务于公安分局的链路 VPN 账号", "hardware": "无",
         "edits": [("description", "账号服务\n账号服务", "账号服务")],
         "deployment_kind": "other",
         "flags+": [{"field": "deployment", "note": "部署情况 column reads “18 个账号，不涉及带宽”"}]
         + _NO_INSPECTION},
    # row 36: targets per asset class
    36: {"sla_form": "asset_class", "sla": [
        {"tier": "front_end", "tier_label": "前端设备", "definition": None, "response": _t(12, "hour"), "arrival": None,
         "repair": _t(12, "hour"), "restore": None, "text": "前端设备：12 小时内修复（含响应时间）",
         "notes": "含响应时间: the response falls inside the repair time counted from the report; all repairs confirmed by 甲方"},
        {"tier": "back_end", "tier_label": "后端设备", "definition": None, "response": _t(4, "hour"), "arrival": None,
         "repair": _t(4, "hour"), "restore": None, "text": "后端设备：4 小时内修复（含响应时间）",
         "notes": "含响应时间: the response falls inside the repair time counted from the report; all repairs confirmed by 甲方"},
        {"tier": "major_accident", "tier_label": "重大事故", "definition": "硬件损坏不能正常工作", "response": _t(24, "hour"),
         "arrival": None, "repair": _t(24, "hour"), "restore": None,
         "text": "重大事故（硬件损坏不能正常工作）：24 小时内修复（含响应时间）",
         "notes": "含响应时间: the response falls inside the repair time counted from the report"}]},
    59: {"flags+": _NO_SEQ, "deployment_kind": "terminal"},
    60: {"flags+": _NO_SEQ},
    61: {"flags+": _NO_SEQ},
    62: {"flags+": _NO_SEQ},
    86: {"flags+": [{"field": "hardware", "note": "配套硬件 reads “0（与预算管理系统共用 2 台服务器）”"},
                    {"field": "sla", "note": "only response targets, per service channel (在线/热线 即时, 远程 2 个工作小时, "
                                            "送修 1 个工作小时, 现场 30 公里内 24 小时 / 以外 48 小时); no repair target. "
                                            "Stored: one tier per channel (远程 = general; the others chosen on the ticket)"}]},
    # 部署情况 and 驻场人员要求 of row 87 run into each other
    87: {"deployment": "服务器和总接警平台在声讯公司\n（厂商SAAS）",
         "onsite_staff": "技术维护1人，\n值机中心不少于 3人，属地运维不少于 6人。",
         "onsite_staff_count": None,
         "flags+": [{"field": "onsite_staff_count",
                     "note": "驻场人员要求：技术维护1人，值机中心不少于 3人，属地运维不少于 6人（no single number）"}]},
    # description's last line "30 天。" landed in hardware
    132: {"edits": [("hardware", "30 天。\n", ""), ("description", "不低于", "不低于")],
          "append": [("description", "30 天。")]},
    29: {"deployment_kind": "mixed"},
    37: {"deployment_kind": "public_cloud"},
    49: {"deployment_kind": "special_network"},
    58: {"deployment_kind": "terminal"},
    84: {"deployment_kind": "unit_room"},
    100: {"deployment_kind": "unit_room"},
    104: {"deployment_kind": "unit_room"},
    108: {"deployment_kind": "other"},
    110: {"deployment_kind": "saas"},
    112: {"deployment_kind": "special_network"},
    113: {"deployment_kind": "district_idc"},
    114: {"deployment_kind": "unit_room"},
    115: {"deployment_kind": "public_cloud"},
    124: {"deployment_kind": "special_network"},
    125: {"deployment_kind": "terminal"},
    130: {"deployment_kind": "public_cloud"},
    131: {"deployment_kind": "public_cloud"},
    137: {"deployment_kind": "mixed"},
    146: {"deployment_kind": "public_cloud"},
}

# the device-column corrections live with parse_devices (DEVICE_CORRECTIONS) and apply as edits
for _row, _edits in DEVICE_CORRECTIONS.items():
    CORRECTIONS.setdefault(_row, {}).setdefault("edits", []).extend(_edits)

# Second review (rows with unparsed SLA / inspections): merged into CORRECTIONS;
# list-valued keys ("flags+", "edits", "append") are concatenated.
_REVIEW: dict[int, dict] = {
    # lines 2860-2868: "运维团队可在 10分钟内响应，30 分钟提交故障处理方案。系统崩溃导致业务停止故障解决
    # 时间不超过 1 小时，应用服务器故障、应用服务器磁盘损坏导致不" (the sentence breaks off in the tender)
    # row 2: see _ISSUE8 (lines 2838-2868)
    # lines 3630-3636: 网络安全设备：一般事件：1-72 小时内 / 严重事件：1-36 小时内 / 紧急事件：1-24 小时内
    6: {"sla_form": "severity_tiers",
        "sla": [_tier(k, f"{lbl}事件", f"{lbl}事件：1-{h} 小时内", repair=_t(h, "hour"),
                      notes="网络安全设备 only; the tender names no action (响应/修复) — upper bound stored as repair")
                for k, lbl, h in (("general", "一般", 72), ("serious", "严重", 36), ("urgent", "紧急", 24))],
        "flags+": _flag("sla", "网络安全设备：“一般事件：1-72 小时内；严重事件：1-36 小时内；紧急事件：1-24 小时内” — "
                               "range without a named action (stored as repair upper bound); "
                               "VPN/网络设备/精密空调 have no time limits")},
    # lines 4282-4286: the 服务保障要求 cell ("全年 7*24 小时响应 / 驻场人员：7*8") and the tail of
    # 配套硬件 ("频会议软件终端 / 200 套") were read into the work content
    8: {"edits": [("work_content", "原厂提全年 7*24 小时响应\n驻场人员：7*8\n频会议软件终端\n200 套\n供维修",
                   "原厂提供维修")],
        "append": [("hardware", "频会议软件终端 200 套")],
        "sla_text": "全年 7*24 小时响应\n驻场人员：7*8",
        "flags+": _flag("sla", "服务保障要求 reads only “全年 7*24 小时响应；驻场人员：7*8” — availability, "
                               "no response/repair time limit")},
    124: {"flags+": _NO_INSPECTION + _flag("sla", "“工作时间 2 小时响应，1-3 天解决” — repair stored as the "
                                                  "upper bound (3 days)")},
    129: {"flags+": _RECTIFY},
    130: {"flags+": _RECTIFY},
    132: {"flags+": _RECTIFY},
    145: {"flags+": _RECTIFY},
    139: {"flags+": _TIMELY},
    142: {"flags+": _TIMELY},
    147: {"flags+": _TIMELY},
    149: {"flags+": _TIMELY},
    4: {"flags+": _NO_INSPECTION},
    95: {"flags+": _NO_INSPECTION},
    107: {"flags+": _NO_INSPECTION},
    110: {"flags+": _NO_INSPECTION},
    123: {"flags+": _NO_INSPECTION},
    32: {"flags+": _flag("inspections", "“项目巡检工作，包含：软件巡检…硬件巡检…” — no frequency stated "
                                        "(“每 15 分钟巡查一遍” concerns the parking attendants)")},
    88: {"flags+": _flag("inspections", "“提供日常基础安全巡检服务” — no frequency stated")},
    91: {"flags+": _flag("inspections", "“早检：登录后台看服务状态、磁盘、日志报错、数据库连接数” — "
                                        "no frequency stated")},
    151: {"flags+": _flag("inspections", "软件巡检/硬件巡检 listed without a frequency (“巡检工作特殊要求：提供巡检单”)")},
}
# Third review (issue 8: every numeric target of the tender).  Each entry names its tender lines.
# "sla+" appends tiers to the parsed ones; "tier_edits" changes fields of a parsed tier.
_M, _H, _D, _WD = "minute", "hour", "day", "working_day"
_ISSUE8: dict[int, dict] = {
    # lines 2838-2868: business hours "即刻响应" (no number); out of hours "如需远程处理问题可在 30 分钟内响应";
    # 应急服务 (突发事件/重大安全故障): "10分钟内响应，30 分钟提交故障处理方案…系统崩溃导致业务停止故障解决时间不超过 1 小时"
    2: {"sla_form": "other", "sla": [
        _tier("urgent", "应急服务", "运维团队可在 10分钟内响应，30 分钟提交故障处理方案。系统崩溃导致业务停止故障解决时间不超过 1 小时",
              notes="应急服务 (系统突发事件、重大安全故障); 1 h is for 系统崩溃导致业务停止; 30 分钟提交故障处理方案 is "
                    "a plan, not a clock; the following clause (应用服务器故障…导致不) breaks off in the tender",
              response=_t(10, _M), repair=_t(1, _H)),
        _tier("general_after_hours", "非工作时段", "非工作时段提供即刻响应的技术咨询支持,如需远程处理问题可在 30 分钟内响应用户要求",
              notes="工作时段: 即刻响应 (no number) — the tender sets no numeric target in business hours",
              severity="general", applies_when="outside_business_hours", response=_t(30, _M)),
        _tier("general", "工作时段", "工作时段提供即刻响应的技术支持服务",
              notes="即刻响应: the tender sets no numeric target in business hours", applies_when="business_hours")]},
    # lines 3402-3425: 特殊要求：一级（致命故障）：响应≤15 分钟；解决≤2 小时（核心业务恢复）
    5: {"sla+": [_tier("fatal", "一级（致命故障）", "一级（致命故障）：响应≤15 分钟 ；解决≤2 小时（核心业务恢复）",
                       notes="stricter than 紧急故障; chosen on the ticket (tier 致命故障)",
                       response=_t(15, _M), repair=_t(2, _H))]},
    # line 5476: （5）重大活动/节假日保障：30 分钟内响应，2 小时内定位并解决问题 — the row's own major-event targets
    16: {"sla+": [_tier("major_event", "重大活动/节假日保障", "（5）重大活动/节假日保障：30 分钟内响应，2 小时内定位并解决问题；"
                        "设备故障损坏时，24 小时内使用备品备件进行替换",
                        notes="system-specific override inside every major-event period (重保期) that covers the system",
                        applies_when="major_event", response=_t(30, _M), repair=_t(2, _H))]},
    # lines 6345-6362: 紧急故障 "立即响应，分局机关 20分钟内、城区周边 30 分钟内、城区外边远地区 1 小时内到达现场，1小时内修复"
    22: {"tier_edits": {"urgent": {"notes": "立即响应 (no number); arrival by location — 分局机关 20 分钟 / 城区周边 30 分钟 "
                                            "are tiers of their own; this tier holds 城区外边远地区 1 小时",
                                   "tier_label": "紧急故障（城区外边远地区）"}},
         "sla+": [_tier(f"urgent_{key}", f"紧急故障（{place}）", f"立即响应，…{place} {n}分钟内…到达现场，1小时内修复",
                        notes="arrival by location; chosen on the ticket", arrival=_t(n, _M), repair=_t(1, _H))
                  for key, place, n in (("hq", "分局机关", 20), ("suburb", "城区周边", 30))]},
    # lines 7433-7586: (1) 前端监控设施损坏 8 小时内修复；(4) 废弃线杆、废旧线路 8 小时内清除；
    # (5) 破损需拆移重建的监控杆 45 天内补装完毕，60 天内达到执法要求
    29: {"sla_form": "asset_class", "sla": [
        _tier("front_end", "前端监控设施", "前端监控设施损坏 8 小时内修复", repair=_t(8, _H)),
        _tier("waste_lines", "废弃线杆、废旧线路", "废弃线杆、废旧线路 8 小时内清除", repair=_t(8, _H),
              notes="清除 (removal) counted as repair"),
        _tier("pole_rebuild", "需拆移重建的监控杆", "破损需拆移重建的监控杆 45 天内补装完毕，60 天内达到执法要求",
              repair=_t(45, _D), restore=_t(60, _D),
              notes="补装完毕 = repair (45 天); 达到执法要求 = restore (60 天)")]},
    # lines 10368-10386 (in 运维工作内容 2.技术支持): 出现故障时在 1小时内进行实质性响应…4 小时内到达用户现场…
    # 一般故障应在 1 工作日内解决问题。重大故障（服务中断）应在 2 小时内到达现场，并在 8 小时内解决问题
    47: {"sla+": [
        _tier("health_general", "技术支持·一般故障", "出现故障时在 1小时内进行实质性响应，针对电话、远程技术支持不能解决的系统软件故障，"
              "需在 4 小时内到达用户现场解决问题。对于各社区卫生服务中心，一般故障应在 1 工作日内解决问题",
              notes="second (health-style) block of the row, in 运维工作内容 2.技术支持; for 社区卫生服务中心",
              response=_t(1, _H), arrival=_t(4, _H), repair=_t(1, _WD)),
        _tier("health_major", "技术支持·重大故障（服务中断）", "重大故障（服务中断）应在 2 小时内到达现场，并在 8 小时内解决问题，"
              "或提供替代方案恢复系统运行", definition="服务中断",
              notes="second (health-style) block of the row, in 运维工作内容 2.技术支持",
              response=_t(1, _H), arrival=_t(2, _H), repair=_t(8, _H))]},
    # lines 16905-16960: (1) 警告 24 小时内恢复 (2) 部分损害 12 小时内恢复 (3) 严重故障 2 小时内恢复;
    # remote desktop within 2 h, engineer on site within 48 h
    85: {"sla_form": "severity_tiers", "sla": [
        _tier("minor", "系统出现警告，不影响运行", "7*24 小时电话或网络通讯咨询并且24 小时内恢复正常使用…乙方应在48 小时内安排工程师到达用户现场",
              restore=_t(24, _H),
              notes="远程桌面协助 2 小时内; 工程师 48 小时内到达用户现场 (复杂问题)", arrival=_t(48, _H)),
        _tier("general", "系统出现部分损害，但系统正常运行", "7*24 小时电话或网络通讯咨询，并且 12 小时内恢复正常使…乙方应在48 小时内安排工程师到达用户现场",
              restore=_t(12, _H), arrival=_t(48, _H), notes="工程师 48 小时内到达用户现场 (复杂问题)"),
        _tier("serious", "系统出现严重故障，系统无法正常使用", "7*24 小时线上或线下咨询，并且 2 小时内恢复正常使用",
              restore=_t(2, _H), notes="serious = the tender's most severe class")]},
    # lines 17076-17096: response per service channel
    86: {"sla": [
        _tier("general", "远程服务", "(3)远程服务 5*8 小时提供服务，2个工作小时内响应", response=_t(2, "working_hour"),
              notes="2 个工作小时; 在线/热线 即时响应 (no number)"),
        _tier("repair_shop", "送修服务", "(4)送修服务 5*8 小时提供服务，1个工作小时内响应", response=_t(1, "working_hour")),
        _tier("onsite_near", "现场服务（30公里以内）", "(5)现场服务 5*8 小时提供服务，30公里以内 24 小时内响应",
              response=_t(24, _H)),
        _tier("onsite_far", "现场服务（30公里以外）", "30公里以外 48 个小时内响应", response=_t(48, _H))]},
    # line 17304: 设备故障后 2 小时内到现场维修并于 8 小时内排除故障
    87: {"sla+": [_tier("device_fault", "设备故障（现场维修）", "设备故障后 2 小时内到现场维修并于 8 小时内排除故障",
                        arrival=_t(2, _H), repair=_t(8, _H), notes="chosen on the ticket for a device fault")]},
    # lines 17474-17500: 工作日期间 响应≤2 小时；非工作期间 响应≤2 天；48 小时内解决故障；重大系统问题 12 小时内解决
    88: {"sla_form": "other", "sla": [
        _tier("general", "工作日期间", "工作日期间…响应时间不得多于2 小时…48 小时内解决故障",
              applies_when="business_hours", response=_t(2, _H), repair=_t(48, _H),
              notes="4 小时内给出解决方案 is a plan, not a clock"),
        _tier("general_after_hours", "非工作期间", "非工作期间，响应时间不得多于2 天…48 小时内解决故障", severity="general",
              applies_when="outside_business_hours", response=_t(2, _D), repair=_t(48, _H)),
        _tier("serious", "重大系统问题", "重大系统问题，在 12 小时内解决", repair=_t(12, _H),
              notes="紧急情况下，立即响应 (no number)")]},
    # lines 17662-17678: 1 小时内无法解决时 … 24个小时内到现场支持，72 小时内解决问题
    89: {"sla+": [_tier("onsite_support", "现场支持", "使用上述响应方式 1 小时内无法解决时，乙方技术人员在收到用户通知…"
                        "后 24个小时内到现场支持，72 小时内解决问题", arrival=_t(24, _H), repair=_t(72, _H),
                        notes="when remote handling fails within 1 hour; chosen on the ticket")]},
    # lines 17740-17752: 如 1 小时内无法解决，24 小时内现场技术支持，72 小时内解决问题
    90: {"sla+": [_tier("onsite_support", "现场技术支持", "如 1 小时内无法解决，24 小时内现场技术支持，72 小时内解决问题",
                        arrival=_t(24, _H), repair=_t(72, _H),
                        notes="when remote handling fails within 1 hour; chosen on the ticket")]},
    # lines 17947-18030: 重要时期 / 一般时期 / 远程不能解决
    91: {"sla_form": "other", "sla": [
        _tier("general", "一般时期", "在一般时期…2 小时内给予问题性质的答复、4 小时内给予问题解决方案、8小时内给予问题解决",
              response=_t(2, _H), repair=_t(8, _H), notes="4 小时内给予问题解决方案 is a plan, not a clock"),
        _tier("major_event", "重要时期", "在重要时期…1 小时内给予问题性质的答复、2 小时内给予问题解决方案；立即派工程师到现场，"
              "4 小时解决问题", applies_when="major_event", response=_t(1, _H), repair=_t(4, _H),
              notes="system-specific override inside every major-event period; 2 小时内给予问题解决方案 is a plan"),
        _tier("onsite_support", "远程不能解决的故障", "技术人员在用户故障申报后,3小时内做出反应，并提供解决方案。若不能排除故障，"
              "派人在 6 小时内赶赴现场解决", response=_t(3, _H), arrival=_t(6, _H), notes="chosen on the ticket")]},
    # lines 18195-18203: (2)如 1 小时内无法解决，24小时内现场技术支持，72 小时内解决问题
    92: {"sla+": [_tier("onsite_support", "现场技术支持", "如 1 小时内无法解决，24小时内现场技术支持，72 小时内解决问题",
                        arrival=_t(24, _H), repair=_t(72, _H),
                        notes="when remote handling fails within 1 hour; chosen on the ticket")]},
    # lines 6436-6443: 重大活动期间…提供全天候驻场值守保障，半小时内恢复突发故障
    22.5: None,
    # lines 10918-10950: 故障 1 小时内响应，2 小时内抵达…现场，8 小时内解决 (parsed); 节假日/重大活动 应急情况 4 小时内到场 (flagged)
    # lines 11796-11830: 15分钟内响应 … 1小时内派专业工程师赶赴现场 … 1 小时内排除普通故障，2 小时内排除较大故障，
    # 4 小时内排除重大故障，24 小时内排除特大故障; 非工作日 1 小时内赶赴现场并排除普通故障
    56: {"sla_form": "severity_tiers", "sla": [
        _tier(key, f"{label}故障", f"15分钟内响应…1小时内派专业工程师赶赴现场进行故障诊断及处理…{n} 小时内排除{label}故障"
              + ("…维护团队现场人员将在 1 小时内赶赴现场并排除系统普通故障" if key == "minor" else "")
              + ("…特大故障将在 24 小时内处理完毕" if key == "urgent" else ""),
              response=_t(15, _M), arrival=_t(1, _H), repair=_t(n, _H),
              notes=f"the tender's classes 普通/较大/重大/特大 mapped to 轻微/一般/严重/紧急 ({label}故障)")
        for key, label, n in (("minor", "普通", 1), ("general", "较大", 2), ("serious", "重大", 4), ("urgent", "特大", 24))]},
    # lines 12271-12400: ①10 分钟内响应…2小时内派遣运维工程师到现场服务，8 小时内处理完毕；②如需更换设备，须在 24 小时内备件更换到位
    59: {"sla": [
        _tier("general", "自助服务终端故障", "自助服务终端出现故障时，10 分钟内响应，不能远程解决问题的，2小时内派遣运维工程师到现场服务，"
              "8 小时内处理完毕", response=_t(10, _M), arrival=_t(2, _H), repair=_t(8, _H),
              notes="no severity tiers: one target for every fault"),
        _tier("device_replacement", "更换设备", "如需更换设备，须在 24 小时内备件更换到位", repair=_t(24, _H),
              notes="chosen on the ticket when a device must be replaced")]},
    # lines 13800-13840: (1) 平台/app 30 分钟内响应，2 小时内修复；(2) 35 套监控视频设备 如发生故障 4 小时内修复
    67: {"sla_form": "asset_class", "sla": [
        _tier("platform", "河（湖）长制平台、app 巡河系统", "系统、app 巡河系统发生故障时 30 分钟内响应，2 小时内修复",
              severity="general", response=_t(30, _M), repair=_t(2, _H)),
        _tier("video_devices", "监控视频设备（35 套）", "如发生故障 4 小时内修复", repair=_t(4, _H))]},
    # lines 22910-22950: 一级（普通）…10分钟内响应；6 小时内恢复 / 二级（较严重）10 分钟响应，5 小时内恢复 /
    # 三级（严重）10 分钟响应；4 小时内恢复 / 四级（紧急）立即响应；4 小时内恢复
    126: {"sla_form": "severity_tiers", "sla": [
        _tier(key, f"{level}故障", text, definition=definition, response=_t(10, _M) if key != "urgent" else None,
              restore=_t(n, _H), notes="一级…四级 mapped to 轻微/一般/严重/紧急" + ("; 立即响应 (no number)" if key == "urgent" else ""))
        for key, level, definition, text, n in (
            ("minor", "一级", "普通问题", "工程师 10分钟内响应；故障应在 6 小时内恢复正常", 6),
            ("general", "二级", "较严重问题", "工程师 10 分钟响应，故障应在 5 小时内恢复正常", 5),
            ("serious", "三级", "严重问题", "工程师 10 分钟响应；故障应在 4 小时内恢复正常", 4),
            ("urgent", "四级", "紧急问题", "工程师立即响应；业务应在 4 小时内恢复正常", 4))]},
    # line 5476 (row 16, tiers 3-5): 设备故障损坏时，24 小时内使用备品备件进行替换
    # lines 10660-10668: 5.按分级预案处理故障，一般故障 0.5 小时内解决，重大故障加急处置 (no number)
    49: {"sla_form": "severity_tiers", "sla": [
        _tier("general", "一般故障", "一般故障0.5 小时内解决", repair=_t(0.5, _H)),
        _tier("serious", "重大故障", "重大故障加急处置并实时反馈进展",
              notes="加急处置 — the tender sets no numeric target for 重大故障")]},
    # line 11990: 乙方于甲方提出请求后4 小时内提供现场(上门)技术支持服务
    57: {"sla+": [_tier("onsite_request", "现场（上门）技术支持", "乙方于甲方提出请求后4 小时内提供现场(上门)技术支持服务",
                        arrival=_t(4, _H), notes="on 甲方's request; chosen on the ticket")]},
    # lines 13480-13484 / 14030: 现场服务响应时间：2 小时
    66: {"sla+": [_tier("onsite_service", "现场服务", "现场服务响应时间：2 小时", arrival=_t(2, _H),
                        notes="on-site service: arrival within 2 hours; chosen on the ticket")]},
    69: {"sla+": [_tier("onsite_service", "现场服务", "现场服务响应时间：2 小时", arrival=_t(2, _H),
                        notes="on-site service: arrival within 2 hours; chosen on the ticket")]},
    # line 15680: 上门服务，4 小时内响应，5 个工作日内完成
    78: {"sla+": [_tier("onsite_service", "上门服务", "上门服务，4 小时内响应，5 个工作日内完成", response=_t(4, _H),
                        repair=_t(5, _WD), notes="on-site (上门) service; chosen on the ticket")]},
}
_ISSUE8[16]["sla+"].append(
    _tier("device_replacement", "设备故障损坏（备件替换）", "设备故障损坏时，24 小时内使用备品备件进行替换", repair=_t(24, _H),
          notes="a damaged device is replaced from spares within 24 hours; chosen on the ticket"))
_ISSUE8[22]["sla+"].append(
    _tier("major_event", "重大活动期间", "国家法定节假日、安保勤务等重大活动期间，根据要求提供全天候驻场值守保障，半小时内恢复突发故障",
          applies_when="major_event", restore=_t(0.5, _H),
          notes="system-specific override inside every major-event period that covers the system"))
del _ISSUE8[22.5]
for _k, _v in _ISSUE8.items():
    _c = CORRECTIONS.setdefault(_k, {})
    for _key, _new in _v.items():
        _c[_key] = _new

for _k, _v in _REVIEW.items():
    _c = CORRECTIONS.setdefault(_k, {})
    for _key, _new in _v.items():
        _c[_key] = _c.get(_key, []) + _new if _key in ("flags+", "edits", "append") else _new

# --------------------------------------------------------------------------
# Time phrases of the 服务保障要求 text that are not fault targets.  The coverage check
# (catalog/tests/test_tender_data.py) requires every "N 分钟/小时/工作小时/工作日/天" of a row's SLA text
# to be a parsed target or one of these flagged exceptions (stored as flags with the phrase).
SLA_PHRASE_CLASSES = [
    (r"\d+\s*[*×xX]\s*\d+\s*小时(?:\s*[*×xX]\s*\d+\s*天)?|\d+\s*[*×xX]\s*\d+\s*[*×xX]\s*\d+\s*天"
     r"|\d+\s*天\s*[*×xX]\s*\d+\s*小时",
     "service hours (服务时间 such as 7*24 小时, 5*8 小时), not a fault time limit"),
    (r"每周\s*\d+\s*天\s*[、，,]\s*每天\s*\d+\s*小时", "service hours (每周 N 天、每天 M 小时), not a fault time limit"),
    (r"(?:全天候\s*)?24\s*小时\s*(?:的\s*)?(?:不间断|现场值守|驻场|系统运行监测|在线|值守|职守|应急值守|应急保障组|便民服务电话)",
     "continuous 24-hour service (值守/监测/录制), not a fault time limit"),
    (r"存储时间不低于\s*\d+\s*天", "video retention period, not a fault time limit"),
]
# row: [(phrase as in the tender (blanks ignored), tender line or None, reason)]
SLA_ROW_EXCEPTIONS: dict[int, list[tuple[str, int | None, str]]] = {
    2: [("30 分钟提交故障处理方案", 2862, "a plan to hand in, not a fault clock the platform measures"),
        ("每年提供不低于40 天的 24 小时系统运行监测", 2935, "yearly amount of major-event monitoring days"),
        ("春节10 天，清明五一端午 9 天，中秋国庆 7 天，两会 14 天", 2937, "minimum monitoring days per holiday")],
    15: [("部件返回时间不得超过 5 天", 5298, "return of replaced parts to 甲方, not a fault clock")],
    51: [("应急情况 4 小时内到场支持", 10950, "节假日/重大活动 emergencies; looser than the 2-hour arrival that "
                                          "applies to every fault, so no separate tier")],
    55: [("结束前一天", 11619, "a date (the day before a holiday or major event ends), not a time limit")],
    61: [("共计 102 天", 12719, "number of major-event days in the year, not a time limit")],
    62: [("提前 7 天", None, "notice before replacing an engineer, not a fault clock"),
         ("运营中断超过 4 小时", None, "defines a major accident (grounds to end the contract), not a target"),
         ("共计 102 天", 13013, "number of major-event days in the year, not a time limit")],
    64: [("应答时间不超过 5 分钟", 13320, "duty console answering time (值守), not a fault clock")],
    88: [("4 小时内给出解决方案", 17488, "a plan to hand in, not a fault clock the platform measures"),
         ("24 小时内评估工作量", 17506, "an estimate to hand in for long repairs, not a fault clock")],
    89: [("1 小时内无法解决", 17662, "the condition that opens the on-site tier, not a target")],
    90: [("1 小时内无法解决", 17749, "the condition that opens the on-site tier, not a target"),
         ("2.故障处理：30 分钟内给予电话响应", None, "first block of the cell (服务保障要求 printed twice); "
                                                 "the same 30-minute response as the urgent tier of the second block")],
    91: [("2 小时内给予问题解决方案", 17955, "a plan to hand in, not a fault clock the platform measures"),
         ("4 小时内给予问题解决方案", 17971, "a plan to hand in, not a fault clock the platform measures")],
    92: [("1 小时内无法解决", 18199, "the condition that opens the on-site tier, not a target")],
    31: [("节假日无需 8 小时到现场处理", None, "a holiday relaxation; the row states no on-site target otherwise")],
    37: [("应在 1 小时内通知使用人", None, "notice of a device fault to the user, not a fault clock")],
    58: [("需要 24 小时响应", None, "24-hour availability of the response (7*24 小时服务), not a 24-hour limit")],
    85: [("乙方在 2 小时内通过 QQ 等远程桌面协助", 16910, "a remote-desktop step before escalation, no clock of its own")],
    87: [("2小时内不能排除应立即提供相应主机", 17304, "the condition for a replacement host, not a target")],
    113: [("及时（1小时内）进行查询", None, "data query service, not a fault clock")],
    125: [("2 小时内确定故障原因", 22755, "diagnosis within 2 hours: no clock of its own (response/arrival/repair)")],
    130: [("每月第一个工作日", 23457, "monthly report date, not a fault clock"),
          ("网络掉线不超过24小时", None, "a KPI threshold for camera outages, not a fault clock")],
    143: [("每月第一个工作日", 25762, "monthly report date, not a fault clock"),
          ("网络掉线不超过24小时", None, "a KPI threshold for camera outages, not a fault clock")],
}


def _nows(text):
    return re.sub(r"\s+", "", text or "")


def sla_exception_flags(rec):
    """The flags of the time phrases of one row's SLA text that are not targets."""
    text = _nows(rec["sla_text"])
    flags, seen = [], set()
    for rx, reason in SLA_PHRASE_CLASSES:
        for m in re.finditer(rx, text):
            if m.group(0) not in seen:
                seen.add(m.group(0))
                flags.append({"field": "sla", "note": reason, "phrase": m.group(0)})
    for phrase, line, reason in SLA_ROW_EXCEPTIONS.get(rec["row"], []):
        phrase = _nows(phrase)
        if phrase not in text:
            raise SystemExit(f"row {rec['row']}: exception phrase {phrase!r} not in the SLA text")
        flag = {"field": "sla", "note": reason, "phrase": phrase}
        if line:
            flag["line"] = line
        flags.append(flag)
    return flags


# category by judgement (the table has no category column)
_CAT = {
    "公共安全": [12, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 63, 64, 87, 92, 118,
             129, 130, 132, 138, 139, 142, 143, 145, 147, 149],
    "非现场执法": [29, 73],
    "物联网感知": [50, 56, 66, 67, 69, 96, 98, 117],
    "桌面及会议保障": [8, 13, 65, 124],
    "政务及安全": [6, 7, 9, 10, 11, 20, 49, 51, 94, 95, 105, 111, 112, 119],
    "教育教务": [85, 86, 88, 89, 90, 91, 93, 101],
    "城市管理": [1, 32, 33, 34, 36, 37, 52, 81, 82, 83, 128, 131, 134, 135, 137, 146, 151, 152],
}
CATEGORY: dict[int, str] = {k: "政务办公信息化" for k in range(1, 155)}
for _c, _rows in _CAT.items():
    for _k in _rows:
        CATEGORY[_k] = _c
CATEGORY_FLAGS = {
    56: "indoor navigation for the 政务服务中心 built on beacons; classed 物联网感知, could be 政务办公信息化",
    111: "人脸识别门禁/餐厅刷卡 in the 行政、政务中心; classed 政务及安全",
    138: "平安建设指挥场所日常办公设备 (cameras, access control, meeting system); classed 公共安全, could be 桌面及会议保障",
    84: "公共资源交易平台 with many desk/meeting devices; classed 政务办公信息化",
    37: "垃圾分类 registration with GPS/RFID/weighing devices; classed 城市管理, could be 物联网感知",
}


def apply_corrections(data):
    for rec in data["systems"]:
        k = rec["row"]
        if k in CATEGORY:
            rec["category"] = CATEGORY[k]
        if k in CATEGORY_FLAGS:
            rec["flags"].append({"field": "category", "note": CATEGORY_FLAGS[k]})
        for key, val in CORRECTIONS.get(k, {}).items():
            if key == "flags+":
                rec["flags"].extend(val)
            elif key == "sla+":
                rec["sla"] = rec["sla"] + [dict(t) for t in val]
            elif key == "tier_edits":
                for tier in rec["sla"]:
                    tier.update(val.get(tier["tier"], {}))
            elif key == "edits":
                for field, old, new in val:
                    rec[field] = rec[field].replace(old, new)
            elif key == "append":
                for field, extra in val:
                    rec[field] = rec[field] + extra
            else:
                rec[key] = val
        for tier in rec["sla"]:
            tier.setdefault("severity", tier["tier"] if tier["tier"] in SEVERITY_KEYS else "other")
            tier.setdefault("applies_when", "always")
            tier.setdefault("repair_from_arrival", False)
        rec["flags"].extend(sla_exception_flags(rec))
        rec["flags"].extend(cadence_exception_flags(rec))
        touched = {f for key in ("edits", "append") for f, *_ in CORRECTIONS.get(k, {}).get(key, [])}
        if k in CORRECTIONS and ("hardware" in CORRECTIONS[k] or "hardware" in touched) \
                and "devices" not in CORRECTIONS[k]:
            rec["devices"] = parse_devices(rec["hardware"])
    return data


# --------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    pass


def _str_rep(dumper, data):
    if "\n" in data or len(data) > 60:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_rep)


def dump(data, out_path):
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000,
                     default_flow_style=False)
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text(text, encoding="utf-8")


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    data = apply_corrections(build(argv[1]))
    dump(data, argv[2])
    print(f"wrote {len(data['systems'])} systems to {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
