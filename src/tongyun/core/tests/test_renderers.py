import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

from ninja.responses import NinjaJSONEncoder

from tongyun.core.renderers import ApiJSONEncoder


class _Date(dt.date):
    pass


def test_the_api_encoder_writes_what_ninjas_wrote():
    shanghai = ZoneInfo("Asia/Shanghai")
    values = [
        dt.date(2026, 12, 2), _Date(2026, 1, 31),
        dt.datetime(2026, 12, 2, 3, 4, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 2, 11, 4, 5, 1000, tzinfo=shanghai),
        dt.datetime(2026, 12, 2, 3, 4, 5),
        dt.time(8, 30), Decimal("1.50"), None, "文本", 7,
    ]
    page = {"results": [{"value": value} for value in values]}
    expected = json.dumps(page, cls=NinjaJSONEncoder)
    assert json.dumps(page, cls=ApiJSONEncoder) == expected
    assert '"2026-12-02T03:04:05.678Z"' in expected and '"2026-12-02"' in expected  # the values took both paths
