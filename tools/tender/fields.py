"""The other fields of a row: work-content sections, 等保, deployment, on-site staff."""
from __future__ import annotations

import datetime as _dt
import re


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
