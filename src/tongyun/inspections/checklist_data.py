"""The checklist items of the tender (chapter 5, each row's "项目巡检工作").

Nearly every row repeats the same words: "软件巡检：软件的管理配置，如接口清单、功能清单等；软件的运行
稳定性，如软件进程、关键业务功能；软件系统的业务质量，如登录量、业务处理状态。硬件巡检：检查设备的运行
状态和健康度（主要硬件包括服务器、存储设备、网络设备等）", video rows add "摄像机在线情况、图像清晰度、
镜头清洁、固定情况", a few rows a machine room (机房巡检). Each category gets a default checklist
built from these groups; a system whose inspection text asks for something else (no software part,
cameras, a machine room, UPS) gets its own checklist, built by :func:`items_for_text`.
"""

from __future__ import annotations

import re

from .choices import ItemKind, Section

# (section, label, kind, help_text, extra) — extra: min_value, max_value, unit, required
Item = tuple[str, str, str, str, dict]

SOFTWARE: list[Item] = [
    (Section.SOFTWARE_CONFIG, "接口清单核对", ItemKind.PASS_FAIL, "接口清单与实际运行的接口一致", {}),
    (Section.SOFTWARE_CONFIG, "功能清单核对", ItemKind.PASS_FAIL, "功能清单中的功能均可用", {}),
    (Section.STABILITY, "软件进程运行正常", ItemKind.PASS_FAIL, "操作系统、数据库、中间件、应用进程", {}),
    (Section.STABILITY, "关键业务功能可用", ItemKind.PASS_FAIL, "按功能清单抽查关键业务", {}),
    (Section.BUSINESS_QUALITY, "登录量", ItemKind.NUMBER, "本巡检周期的登录次数", {"unit": "次", "required": False}),
    (Section.BUSINESS_QUALITY, "业务处理状态正常", ItemKind.PASS_FAIL, "无积压、无异常报错", {}),
]
SERVERS: list[Item] = [
    (Section.HARDWARE, "服务器运行状态与健康度", ItemKind.PASS_FAIL, "CPU、内存、磁盘、电源、告警信息", {}),
]
STORAGE: list[Item] = [
    (Section.HARDWARE, "存储设备运行状态与健康度", ItemKind.PASS_FAIL, "磁盘、控制器、容量、告警信息", {}),
]
NETWORK: list[Item] = [
    (Section.HARDWARE, "网络设备运行状态", ItemKind.PASS_FAIL, "CPU、内存、端口、电源状态、告警信息", {}),
]
DEVICES: list[Item] = [
    (Section.HARDWARE, "设备运行状态和健康度", ItemKind.PASS_FAIL, "招标原文：检查设备的运行状态和健康度", {}),
]
CAMERAS: list[Item] = [
    (Section.HARDWARE, "摄像机在线", ItemKind.PASS_FAIL, "全部摄像机在线", {}),
    (Section.HARDWARE, "离线摄像机数量", ItemKind.NUMBER, "有离线即为异常",
     {"unit": "台", "min_value": 0, "max_value": 0, "required": False}),
    (Section.HARDWARE, "图像清晰度", ItemKind.PASS_FAIL, "图像清晰、无花屏、无遮挡", {}),
    (Section.HARDWARE, "镜头清洁", ItemKind.PASS_FAIL, "镜头及防护罩无污渍", {}),
    (Section.HARDWARE, "固定情况", ItemKind.PASS_FAIL, "支架、立杆、箱体牢固", {}),
]
FRONT_END: list[Item] = [
    (Section.HARDWARE, "前端感知设备在线", ItemKind.PASS_FAIL, "前端设备在线、数据按时上报", {}),
]
MEETING: list[Item] = [
    (Section.HARDWARE, "会议终端、MCU 与音视频设备运行正常", ItemKind.PASS_FAIL, "开机自检、呼叫测试", {}),
    (Section.HARDWARE, "摄像头、麦克风、显示设备测试", ItemKind.PASS_FAIL, "", {}),
]
SECURITY: list[Item] = [
    (Section.HARDWARE, "安全设备运行状态与特征库版本", ItemKind.PASS_FAIL, "防火墙、WAF、VPN 等", {}),
]
UPS: list[Item] = [
    (Section.ENVIRONMENT, "UPS 运行状态", ItemKind.PASS_FAIL, "负载、电池、输入输出电压电流", {}),
]
ENVIRONMENT: list[Item] = [
    (Section.ENVIRONMENT, "机房温度", ItemKind.NUMBER, "", {"unit": "℃"}),
    (Section.ENVIRONMENT, "机房湿度", ItemKind.NUMBER, "", {"unit": "%RH"}),
    (Section.ENVIRONMENT, "供电、空调、消防、门禁正常", ItemKind.PASS_FAIL, "", {}),
]
PHOTO: list[Item] = [
    (Section.SYSTEM_SPECIFIC, "现场照片", ItemKind.PHOTO, "现场巡检时拍照留存", {"required": False}),
    (Section.SYSTEM_SPECIFIC, "巡检发现的其他问题", ItemKind.TEXT, "", {"required": False}),
]

CATEGORY_ITEMS: dict[str, list[Item]] = {
    "政务办公信息化": SOFTWARE + SERVERS + STORAGE + PHOTO,
    "物联网感知": SOFTWARE + FRONT_END + SERVERS + PHOTO,
    "非现场执法": SOFTWARE + CAMERAS + SERVERS + STORAGE + NETWORK + PHOTO,
    "政务及安全": SOFTWARE + SERVERS + STORAGE + NETWORK + SECURITY + PHOTO,
    "桌面及会议保障": SOFTWARE + MEETING + PHOTO,
    "公共安全": CAMERAS + STORAGE + NETWORK + SOFTWARE + PHOTO,
    "城市管理": SOFTWARE + SERVERS + CAMERAS + PHOTO,
    "教育教务": SOFTWARE + SERVERS + STORAGE + PHOTO,
}


def inspection_section(work_content: str) -> str:
    """The "一、项目巡检…" part of a row's work content (up to "二、")."""
    text = work_content or ""
    start = text.find("巡检")
    if start < 0:
        return ""
    end = text.find("二、", start)
    return text[max(0, start - 10): end if end > 0 else start + 800]


def items_for_text(category: str, inspection_text: str, work_content: str) -> list[Item]:
    """The checklist a row's own words ask for; the category's when the words say nothing specific."""
    section = inspection_section(work_content) + (inspection_text or "")
    default = CATEGORY_ITEMS.get(category, SOFTWARE + DEVICES + PHOTO)
    if not section.strip():
        return default
    no_software = re.search(r"软件巡检\s*[:：]\s*无", section) is not None
    no_hardware = re.search(r"硬件巡检\s*[:：]\s*无", section) is not None
    software = "软件" in section and not no_software
    hardware = "硬件" in section and not no_hardware
    cameras = any(word in section for word in ("摄像机", "摄像头", "图像", "镜头"))
    groups: list[Item] = []
    if software:
        groups += SOFTWARE
    if hardware or cameras:
        specific = []
        if cameras:
            specific += CAMERAS
        if "服务器" in section:
            specific += SERVERS
        if "存储" in section:
            specific += STORAGE
        if "网络设备" in section or "交换机" in section:
            specific += NETWORK
        if "前端" in section and not cameras:
            specific += FRONT_END
        if "会议" in section:
            specific += MEETING
        groups += specific or [i for i in default if i[0] == Section.HARDWARE] or DEVICES
    if "UPS" in section:
        groups += UPS
    if "机房" in section:
        groups += ENVIRONMENT
    if not groups:
        return default
    return groups + PHOTO
