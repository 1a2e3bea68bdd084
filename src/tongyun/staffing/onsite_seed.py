"""On-site posts per system as the tender's rows give them (ST-07, ST-08; requirements.md appendix A).

Each entry was checked against its row in docs/tender/000_78531836804d5cc0.txt: ``cell`` is the line of
the 驻场人员要求 cell (the number just before the service start date), ``pattern_line`` the line giving the
on-site working hours when the row has one. Row 87 has no single number: its cell (L17160–L17186) reads
"技术维护1人，值机中心不少于 3人，属地运维不少于 6人", seeded as three posts (1 + 3 + 6). 34 systems, 79 people.
Rows 32 and 48 mention staff in their text while their cell says "无": no post is seeded for them.
"""

from dataclasses import dataclass

from .choices import WorkPattern as P


@dataclass(frozen=True)
class SeedPost:
    row: int
    head_count: int
    cell: tuple[int, int]
    pattern: str = P.UNSPECIFIED
    pattern_line: int | None = None
    hours_text: str = ""
    label: str = "驻场人员"


_5x8 = "驻场人员服务时间：5*8 小时"
SEED: list[SeedPost] = [
    SeedPost(3, 1, (3002, 3002), P.FIVE_BY_EIGHT, 3072, _5x8),
    SeedPost(5, 2, (3324, 3324), P.HOURS, 3400, "驻场时间：每日早 9 时至晚 18时"),
    SeedPost(8, 4, (4252, 4252), P.SEVEN_BY_EIGHT, 4292, "驻场人员：7*8"),
    SeedPost(13, 3, (4873, 4873), P.FIVE_BY_EIGHT, 4971, _5x8),
    SeedPost(15, 2, (5169, 5169), P.SEVEN_BY_24, 5292, "驻场人员服务时间：7*24 小时"),
    SeedPost(17, 1, (5550, 5550), P.SEVEN_BY_24, 5630, "驻场人员服务时间：7*24小时"),
    SeedPost(21, 1, (6087, 6087), P.FIVE_BY_EIGHT, 6186, _5x8),
    SeedPost(22, 3, (6262, 6262)),
    SeedPost(23, 5, (6492, 6492)),
    SeedPost(29, 4, (7391, 7391)),
    SeedPost(37, 5, (8729, 8729), P.FIVE_BY_EIGHT, 8870, _5x8),
    SeedPost(38, 1, (8910, 8910), P.FIVE_BY_EIGHT, 9018, _5x8),
    SeedPost(39, 1, (9070, 9070), P.FIVE_BY_EIGHT, 9162, _5x8),
    SeedPost(40, 1, (9238, 9238), P.FIVE_BY_EIGHT, 9316, _5x8),
    SeedPost(41, 1, (9409, 9409), P.FIVE_BY_EIGHT, 9473, _5x8),
    SeedPost(51, 1, (10868, 10868), P.HOURS, 10944, "工作日按 08:30-12:00、13:00-17:30 提供 8 小时现场服务"),
    SeedPost(62, 2, (12816, 12816), P.FIVE_BY_EIGHT, 12888, "驻场服务 5*8 小时，乙方应提供 2 名固定人员"),
    SeedPost(64, 7, (13210, 13210), P.SEVEN_BY_24, 13306, "日常 7*24 小时值守工作"),
    SeedPost(65, 2, (13375, 13375)),
    SeedPost(74, 1, (14899, 14899), P.FIVE_BY_EIGHT, 14985, _5x8),
    SeedPost(75, 1, (15099, 15099), P.FIVE_BY_EIGHT, 15171, _5x8),
    SeedPost(76, 1, (15233, 15233), P.FIVE_BY_EIGHT, 15337, _5x8),
    SeedPost(77, 1, (15409, 15409), P.FIVE_BY_EIGHT, 15497, _5x8),
    SeedPost(82, 1, (16186, 16186), P.FIVE_BY_EIGHT_RESPONSE_24, 16290, "5×8 小时的驻场技术支持与保障，提供 7×24 小时"),
    SeedPost(83, 1, (16407, 16407), P.FIVE_BY_EIGHT_RESPONSE_24, 16489, "5×8驻场，7×24"),
    SeedPost(84, 1, (16620, 16620), P.FIVE_BY_EIGHT, 16738, _5x8 + "（休息日及法定节假日除外）"),
    SeedPost(87, 1, (17160, 17166), P.SEVEN_BY_24, 17300, "驻场人员服务时间：7*24 小时", label="技术维护"),
    SeedPost(87, 3, (17166, 17176), P.SEVEN_BY_24, 17300, "驻场人员服务时间：7*24 小时", label="值机中心"),
    SeedPost(87, 6, (17176, 17186), P.SEVEN_BY_24, 17300, "驻场人员服务时间：7*24 小时", label="属地运维"),
    SeedPost(103, 1, (19615, 19615), P.FIVE_BY_EIGHT, 19682, "驻场人员服务时间：5*8"),
    SeedPost(119, 2, (21914, 21914), P.FIVE_BY_EIGHT, 21998, _5x8),
    SeedPost(122, 1, (22318, 22318), P.FIVE_BY_EIGHT, 22410, _5x8),
    SeedPost(123, 2, (22461, 22461), P.FIVE_BY_EIGHT, 22560, _5x8),
    SeedPost(139, 1, (24937, 24937)),
    SeedPost(140, 3, (25137, 25137), P.FIVE_BY_EIGHT, 25207, _5x8),
    SeedPost(147, 5, (26331, 26331)),
]
