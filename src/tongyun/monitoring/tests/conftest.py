import pytest

from tongyun.catalog.models import System
from tongyun.monitoring import services


@pytest.fixture
def system(db):
    """The police sub-bureau's first system (row 23's cameras are among its devices)."""
    return System.objects.filter(unit__name="公安局顺义分局").order_by("row_no").first()


@pytest.fixture
def source(user_of):
    """An Alertmanager source of the bureau; `source.token` is its bearer token."""
    source, token = services.source_create(user_of("bureau_admin"), name="Prometheus 视频", kind="alertmanager")
    source.token = token
    return source
