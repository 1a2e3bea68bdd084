"""The device inventory the tender lists (配套硬件), kind by kind: tools/extract_tender.py parse_devices and
the curated data it writes. Plain pytest, no database."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

import tongyun.catalog

DATA_FILE = Path(tongyun.catalog.__file__).parent / "data" / "shunyi_2026.yaml"
TOOL = Path(__file__).resolve().parents[4] / "tools" / "extract_tender.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("extract_tender", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def by_row():
    with open(DATA_FILE, encoding="utf-8") as handle:
        return {row["row"]: row for row in yaml.safe_load(handle)["systems"]}


def kinds(devices):
    return [(d["kind"], d["count"]) for d in devices]


def test_row_23_has_its_four_kinds_totalling_7890(by_row):
    """Tender lines 6460–6511: 车卡 1,529, 多功能设备 3638, 门禁 417, 人卡 2306 (前端感知设备总数约 7,890 台套);
    the 647 sets of 接入软件 are software, not devices."""
    row = by_row[23]
    assert kinds(row["devices"]) == [("车卡（车辆出入口抓拍机）", 1529), ("多功能设备（AI多摄网络摄像机）", 3638),
                                     ("门禁（智慧门禁设备）", 417), ("人卡（社区人脸抓拍机）", 2306)]
    assert sum(d["count"] for d in row["devices"]) == 7890
    assert [d["type"] for d in row["devices"]] == ["摄像机", "摄像机", "终端", "摄像机"]
    # the cells the page break scattered are whole again
    assert "门禁（智慧门禁设备）：417 台" in row["hardware"] and "设人卡" not in row["hardware"]
    assert "备）：417" not in row["description"] and "接入软件" not in row["work_content"]


@pytest.mark.parametrize("row, expected", [
    # tender line numbers are in each row's source_lines
    (2, [("应用服务器", 5), ("数据库服务器", 5), ("NAS共享磁盘阵列", 1)]),
    (12, [("硬盘录像机", 3), ("枪机（抓拍机）", 89), ("球机", 24)]),
    (19, [("枪机", 133)]),  # "48 个杆位" are poles
    (29, [("监控摄像机", 1219), ("监控存储终端", 727), ("补光灯", 1485), ("黄闪灯", 181), ("视频管理服务器", 2),
          ("大货车管控服务器", 1), ("违法停车抓拍服务器", 1), ("备份服务器", 1), ("转发服务器", 1)]),
    (31, [("服务器", 4), ("存储主机（派出所）", 13), ("摄像机", 48)]),
    (145, [("球机", 23), ("交换机", 1), ("硬盘录像机NVR", 1)]),
])
def test_rows_listed_kind_by_kind(by_row, row, expected):
    assert kinds(by_row[row]["devices"]) == expected


def test_every_count_and_kind_is_in_the_tender_words(by_row):
    """No kind or count is made up: each count is printed in the row's 配套硬件 cell, and each kind's words
    (spacing aside) are too."""
    for number, row in by_row.items():
        text = re.sub(r"\s", "", row.get("hardware") or "")
        digits = text.replace(",", "")
        for device in row.get("devices") or []:
            assert str(device["count"]) in digits, (number, device)
            for part in re.split(r"[（）()/]", device["kind"]):
                assert re.sub(r"\s", "", part) in text, (number, device["kind"], part)
            assert not re.fullmatch(r"[台个套路块根条对只张组部\d]+", device["kind"]), (number, device)


@pytest.mark.parametrize("text, expected", [
    ("数据库审计 1\n台、防火墙 14台", [("数据库审计", 1), ("防火墙", 14)]),  # a count wrapped onto the next line
    ("七氟丙烷灭火装置\n11 个", [("七氟丙烷灭火装置", 11)]),
    ("服务器 23 台(21 台服务器+1 台文件存储服务器+1 台文件存储扩展柜）", [("服务器", 23)]),  # total and breakdown
    ("安全设备（业务网关 1台、入侵防御 1台、防火墙 AF-2000 2 台）", [("业务网关", 1), ("入侵防御", 1),
                                                         ("防火墙AF-2000", 2)]),  # the parenthesis is the list
    ("光纤链路 125条，无线链路 640条，7.标志牌 4005 块", []),                    # links and signs are not devices
    ("车卡（车辆出入口抓拍机）：1,529台", [("车卡（车辆出入口抓拍机）", 1529)]),
    ("1.8 台服务器\n2、4 套磁盘阵列（80T）", [("服务器", 8), ("磁盘阵列（80T）", 4)]),
    ("高清 MCU 1 台", [("高清MCU", 1)]),                                          # no PDF spacing in names
    ("无", []),
])
def test_parse_devices(tool, text, expected):
    assert kinds(tool.parse_devices(text)) == expected
