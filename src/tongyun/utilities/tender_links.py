"""The network links the service demand table lists per row (requirements OT-04), with their tender lines.

Counts are the tender's; a row that gives no count for a link kind gets none (count 1 with the words kept).
"""

from .choices import LinkKind

# (row, kind, count, name, bandwidth, paid by the contractor, tender line, the tender's words)
TENDER_LINKS = [
    (19, LinkKind.BARE_FIBRE, 32, "前端至后端机房裸光链路", "", False, 5963, "当前裸光链路共 32 条"),
    (29, LinkKind.FIBRE, 125, "光纤链路", "", False, 7451, "负责 125 条光纤链路与 640 条无线链路的通畅"),
    (29, LinkKind.WIRELESS, 640, "无线链路", "", False, 7451,
     "负责 125 条光纤链路与 640 条无线链路的通畅，根据甲方要求，适时将无线链路调整为光纤链路"),
    (31, LinkKind.BARE_FIBRE, 24, "裸光链路", "", False, 7818, "当前 24 条裸光链路"),
    (32, LinkKind.OTHER, 23, "前端至阿里云服务器传输链路", "", False, 7993, "前端至阿里云服务器传输链路共 23 条"),
    (36, LinkKind.IOT_CARD, 54, "无线物联网卡传输链路", "", False, 8627, "无线物联网卡：54 条无线传输链路保障服务"),
    (49, LinkKind.PRIVATE_NETWORK, 233, "村卫生室卫生专网节点", "1000M", False, 10652,
     "1000M 卫生专线；提供覆盖 233 个村卫生室节点的卫生专网租用服务"),
    (64, LinkKind.LEASED_LINE, 2, "应急指挥平台 IP 电话专线", "", True, 13256,
     "应急指挥平台配套 IP 电话 2 条专线线路租赁和保障电话服务通畅"),
    (66, LinkKind.IOT_CARD, 69, "观测站自动观测系统通信", "", True, 13625,
     "负责交纳 69 个观测站自动观测系统一年通信费用"),
    (74, LinkKind.IOT_CARD, 823, "公交车视频回传物联网卡", "", False, 15024, "约 823 张物联网卡"),
    (74, LinkKind.LEASED_LINE, 2, "专线", "50M", False, 15024, "2 条 50M 专线"),
    (93, LinkKind.LEASED_LINE, 1, "互联网转发专线", "10M（报名高峰期 50M）", False, 18317,
     "10M 互联网转发专线 1 条，报名高峰期 50M"),
    (96, LinkKind.IOT_CARD, 150, "物联网卡", "", False, 18795, "需配套物联网卡 150 张"),
    (112, LinkKind.LEASED_LINE, 27, "专线", "", False, 20743, "27 条专线"),
    (117, LinkKind.IOT_CARD, 20, "物联网卡", "", False, 21502, "需配套 20 个物联网卡"),
    (118, LinkKind.FIBRE, 29, "前端至后端机房传输链路（自建）", "", False, 21713, "前端至后端机房传输链路自建 29 条"),
    (118, LinkKind.FIBRE, 1, "机房至监测中心链路（自建）", "", False, 21713, "机房至监测中心自建 1 条"),
    (118, LinkKind.FIBRE, 4, "监测中心至属地链路", "", False, 21713, "监测中心至属地 4 条"),
    (118, LinkKind.BROADBAND, 1, "宽带光纤（办公）", "100M", False, 21719, "100M 宽带光纤 1 条（办公）"),
    (118, LinkKind.IOT_CARD, 2, "SIM 卡", "", False, 21721, "2 张 SIM 卡"),
    (138, LinkKind.FIBRE, 44, "前端至后端机房传输链路", "", False, 24827, "前端至后端机房传输链路共 44 条"),
    (139, LinkKind.FIBRE, 201, "前端至后端机房传输链路", "", False, 25070, "前端至后端机房传输链路共 201 条"),
    (139, LinkKind.LEASED_LINE, 2, "高点链路", "", False, 25070, "2 个高点链路的租赁维护"),
    (139, LinkKind.LEASED_LINE, 15, "专线", "", False, 25070, "共 15 条专线"),
    (143, LinkKind.LEASED_LINE, 72, "专线（含运营商租赁裸光纤）", "", False, 25712,
     "共 72 条专线，包括运营商租赁裸光纤"),
    (151, LinkKind.LEASED_LINE, 1, "专线", "50M", False, 26939, "50M 专线 1 条"),
    (151, LinkKind.BROADBAND, 1, "企业宽带", "500M", False, 26939, "企业 500M 宽带 1 条"),
]
