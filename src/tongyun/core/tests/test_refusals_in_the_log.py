"""Item 7 of issue 15: the Chinese error pages offer a way back, and an ordinary permission refusal is one
log line, not a traceback (tongyun.core.logfilters on django.request)."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def test_a_permission_refusal_is_logged_without_a_traceback(client_as, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_as("supervisor").get("/incidents/new/")  # the supervisor may not report
    assert response.status_code == 403
    page = response.content.decode()
    assert "zh" in response["Content-Language"] and 'href="/"' in page
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals and all(r.exc_info is None and r.exc_text is None for r in refusals)
    assert "Traceback" not in caplog.text


def test_a_missing_page_is_chinese_with_a_way_back(client_as):
    response = client_as("unit_admin").get("/incidents/999999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and 'href="/"' in page
