"""The hardware column (配套硬件) as device kinds and counts."""
from __future__ import annotations

import re

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
