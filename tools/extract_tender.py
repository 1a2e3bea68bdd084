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
    m = re.search(NUM + r"\s*个?\s*" + UNIT + r"\s*(?:以)?内?\s*(?:(?:完成|给予|作出|进行|必须|须|需|定位并)\s*)?(?:" + verbs_re + ")", text)
    if not m:
        # "<verb>…不超过 N <unit>" (e.g. 单次维修周期不超过 24 小时)
        m = re.search(r"(?:" + verbs_re + r")[^，,。；;]{0,8}?不超过\s*" + NUM + r"\s*个?\s*" + UNIT, text)
    return _val(m)


RESP = ["响应", "回应"]
ARRIVE = ["到达现场", "到达用户现场", "到场", "到现场", "赶到现场", "赶赴现场", "到达"]
REPAIR = ["修复", "日内修复", "修", "解决", "排除", "处理完毕", "完成修复", "完成处理", "处理", "完成整改", "整改", "维修周期"]
RESTORE = ["应急恢复", "恢复"]

TIER_NAMES = {"轻微": "minor", "一般": "general", "严重": "serious", "紧急": "urgent",
              "重大": "serious", "致命": "urgent", "普通": "general"}


def parse_sla(sla_flat):
    tiers = []
    pat = re.compile(r"[(（]\s*\d\s*[)）]\s*(轻微|一般|严重|紧急)故障\s*[（(]([^）)]*)[）)]\s*[：:]?\s*(.*?)(?=[(（]\s*\d\s*[)）]\s*(?:轻微|一般|严重|紧急)故障|\d\s*[.、．]\s*(?:驻场|其他|服务|值班|重保)|值班要求|重保要求|$)", re.S)
    for m in pat.finditer(sla_flat):
        label, definition, body = m.group(1), m.group(2), m.group(3).strip().rstrip("；;。")
        tiers.append(make_tier(TIER_NAMES[label], label + "故障", definition, body))
    return tiers


def make_tier(tier, label, definition, body, notes=None):
    return {
        "tier": tier,
        "tier_label": label,
        "definition": definition,
        "response": find_target(body, RESP),
        "arrival": find_target(body, ARRIVE),
        "repair": find_target(body, REPAIR),
        "restore": find_target(body, RESTORE),
        "text": body,
        "notes": notes,
    }


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


FREQS = [
    (r"工作日每日|每个工作日|工作日每天", "working_daily"),
    (r"每天|每日|日常巡检（每天）|（每天）", "daily"),
    (r"每周|每星期|周巡检|周检查", "weekly"),
    (r"每旬|每十天|每 10 天|每10天", "ten_daily"),
    (r"每半月|每月两次|每月 2 次|每月2次|每月二次|每两周", "semimonthly"),
    (r"每两个月|每 2 个月|每双月", "bimonthly"),
    (r"每半年|每 6 个月|半年一次|巡检\s*2\s*次\s*/\s*年|每年[^，,。；;]{0,12}?(?:不低于|不少于)\s*2\s*次", "semiannual"),
    (r"(?:每年[^，,。；;]{0,12}?|^)(?:不低于|不少于)\s*12\s*次", "monthly"),
    (r"每年 ?4 ?次|每年四次", "four_per_year"),
    (r"每季度|每个季度|季度一次|每 3 个月|每三个月", "quarterly"),
    (r"每月|每个月|月度巡检|月度检查|一月一次", "monthly"),
    (r"每年一次|每年 1 次|每年1次|一年一次", "annual"),
    (r"按需|根据需要|不定期", "on_demand"),
]


def parse_inspections(text):
    res = []
    seen = set()
    # split into clauses
    for clause in re.split(r"[，,。；;\n]", text):
        c = clause.strip()
        if not c:
            continue
        for rx, freq in FREQS:
            if re.search(rx, c):
                # avoid "每月两次" matching monthly too: FREQS order handles the first hit
                mode = "unspecified"
                if "远程" in c:
                    mode = "remote"
                elif "现场" in c:
                    mode = "onsite"
                key = (freq, mode)
                if key not in seen:
                    seen.add(key)
                    res.append({"frequency": freq, "mode": mode, "text": c})
                break
    return res


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


def make_record(k, flat, cells):
    unit = join_lines(cells["unit"], "")
    name = join_lines(cells["name"], "")
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
    if insp:
        head = insp[0]
        t = re.sub(r"^[一1]\s*[、.．]\s*", "", head.strip())
        rec["inspection_text"] = t
        body = "\n".join(insp)
        rec["inspections"] = parse_inspections(body)
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
    tiers = parse_sla(flat_sla)
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
        {"tier": "front_end", "tier_label": "前端设备", "definition": None, "response": None, "arrival": None,
         "repair": _t(12, "hour"), "restore": None, "text": "前端设备：12 小时内修复（含响应时间）",
         "notes": "response counted inside repair (含响应时间); all repairs confirmed by 甲方"},
        {"tier": "back_end", "tier_label": "后端设备", "definition": None, "response": None, "arrival": None,
         "repair": _t(4, "hour"), "restore": None, "text": "后端设备：4 小时内修复（含响应时间）",
         "notes": "response counted inside repair (含响应时间); all repairs confirmed by 甲方"},
        {"tier": "major_accident", "tier_label": "重大事故", "definition": "硬件损坏不能正常工作", "response": None,
         "arrival": None, "repair": _t(24, "hour"), "restore": None,
         "text": "重大事故（硬件损坏不能正常工作）：24 小时内修复（含响应时间）",
         "notes": "response counted inside repair (含响应时间)"}]},
    59: {"flags+": _NO_SEQ, "deployment_kind": "terminal"},
    60: {"flags+": _NO_SEQ},
    61: {"flags+": _NO_SEQ},
    62: {"flags+": _NO_SEQ},
    86: {"flags+": [{"field": "hardware", "note": "配套硬件 reads “0（与预算管理系统共用 2 台服务器）”"},
                    {"field": "sla", "note": "only response targets, per service channel (在线/热线 即时, 远程 2 个工作小时, "
                                            "送修 1 个工作小时, 现场 30 公里内 24 小时 / 以外 48 小时); no repair target. "
                                            "Stored: 24 小时 response (on-site within 30 km)"}]},
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
    2: {"sla": [_tier("general", "应急服务", "运维团队可在 10分钟内响应，30 分钟提交故障处理方案。"
                      "系统崩溃导致业务停止故障解决时间不超过 1 小时",
                      notes="no severity tiers; 1 h is for 系统崩溃导致业务停止; the following clause "
                            "(应用服务器故障…导致不) breaks off in the tender",
                      response=_t(10, "minute"), repair=_t(1, "hour"))]},
    # lines 3630-3636: 网络安全设备：一般事件：1-72 小时内 / 严重事件：1-36 小时内 / 紧急事件：1-24 小时内
    6: {"sla_form": "severity_tiers",
        "sla": [_tier(k, f"{lbl}事件", f"网络安全设备：{lbl}事件：1-{h} 小时内", repair=_t(h, "hour"),
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
for _k, _v in _REVIEW.items():
    _c = CORRECTIONS.setdefault(_k, {})
    for _key, _new in _v.items():
        _c[_key] = _c.get(_key, []) + _new if _key in ("flags+", "edits", "append") else _new

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
            elif key == "edits":
                for field, old, new in val:
                    rec[field] = rec[field].replace(old, new)
            elif key == "append":
                for field, extra in val:
                    rec[field] = rec[field] + extra
            else:
                rec[key] = val
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
