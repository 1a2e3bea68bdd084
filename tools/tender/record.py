"""One YAML record per row, built from its cells."""
from __future__ import annotations

import re
from pathlib import Path

from .cadences import parse_inspections
from .devices import parse_devices
from .fields import deployment_kind, iso_date, mlps_statement, move_sla_fragments, onsite_count, parse_mlps, section
from .layout import CONTRACT_END, LAST_LINE, TABLE, find_row_starts, join_lines, parse_row, read_lines, row_lines
from .sla import ARRIVE, REPAIR, RESP, RESTORE, find_target, health_tiers, make_tier, parse_sla


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
