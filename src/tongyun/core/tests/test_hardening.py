"""Hardening: production settings and headers, the pages' script policy, error pages, upload limits, bounded
and strict API inputs, secrets kept out of logs, unique API schema names."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from ninja import Router, Schema
from pydantic import ValidationError

from tongyun.api import api
from tongyun.core.logredact import GunicornLogger, RedactSecretsFilter, redact
from tongyun.core.openapi import SchemaNameCollision, TongyunAPI
from tongyun.core.schemas import InputSchema

SOURCE = Path(__file__).resolve().parents[2]
BIG = 2**64


def _production_env(tmp_path, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TONGYUN_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' conftest sets it for Playwright's thread
    env.update({"PYTHONPATH": str(SOURCE.parent), "DJANGO_SETTINGS_MODULE": "tongyun.settings",
                "TONGYUN_DATA_DIR": str(tmp_path), "TONGYUN_PRODUCTION": "1",
                "TONGYUN_ALLOWED_HOSTS": "ops.example.gov.cn", "TONGYUN_CSRF_ORIGINS": "https://ops.example.gov.cn",
                **extra})
    return {k: v for k, v in env.items() if v is not None}


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- production settings and headers


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _run(["-m", "tongyun.manage", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["TONGYUN_ALLOWED_HOSTS", "TONGYUN_CSRF_ORIGINS"])
def test_production_requires_hosts_and_origins(tmp_path, missing):
    result = _run(["-m", "tongyun.manage", "check"], _production_env(tmp_path, **{missing: None}))
    assert result.returncode != 0 and missing in result.stderr
    wildcard = _run(["-m", "tongyun.manage", "check"], _production_env(tmp_path, TONGYUN_ALLOWED_HOSTS="*"))
    assert wildcard.returncode != 0 and "TONGYUN_ALLOWED_HOSTS" in wildcard.stderr


HEADERS_PROBE = """
import json, django
django.setup()
from django.test import Client
plain = Client().get("/login/", HTTP_HOST="ops.example.gov.cn")
secure = Client().get("/login/", HTTP_HOST="ops.example.gov.cn", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({"redirect": [plain.status_code, plain.get("Location", "")], "status": secure.status_code,
                  "headers": dict(secure.headers),
                  "cookies": {k: {"secure": m["secure"], "httponly": m["httponly"], "samesite": m["samesite"]}
                              for k, m in secure.cookies.items()}}))
"""


def test_production_headers_and_cookies(tmp_path):
    result = _run(["-c", HEADERS_PROBE], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["redirect"] == [301, "https://ops.example.gov.cn/login/"]  # plain HTTP goes to HTTPS
    headers = answer["headers"]
    assert answer["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    csrf = answer["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True and csrf["samesite"] == "Lax"
    # a host that is not ours is refused
    probe = HEADERS_PROBE.replace('HTTP_HOST="ops.example.gov.cn", HTTP_X', 'HTTP_HOST="evil.example", HTTP_X')
    assert json.loads(_run(["-c", probe], _production_env(tmp_path)).stdout.strip().splitlines()[-1])["status"] == 400


def test_session_cookie_is_secure_and_httponly_in_production(tmp_path):
    probe = """
import django
django.setup()
from django.conf import settings
print(settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
      settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, settings.DEBUG)
"""
    result = _run(["-c", probe], _production_env(tmp_path))
    assert result.stdout.split() == ["__Host-sessionid", "True", "True", "True", "True", "False"], result.stderr


def test_pages_carry_the_script_policy(client_as):
    response = client_as("bureau_admin").get("/")
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script.strip() == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()


def test_no_template_has_inline_script_or_handler_attributes():
    """The policy refuses inline script: a page with one would silently lose its behaviour."""
    offenders = []
    for template in SOURCE.glob("**/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{template.relative_to(SOURCE)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+=\"", text):
            offenders.append(f"{template.relative_to(SOURCE)}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{template.relative_to(SOURCE)}: javascript: URL")
    assert not offenders, offenders


# ---------------------------------------------------------------- error pages


def test_error_pages_are_chinese_with_a_way_back(client_as, client, rf):
    from django.views.defaults import server_error

    missing = client_as("unit_admin").get("/catalog/systems/999999999/")
    assert missing.status_code == 404
    text = missing.content.decode()
    assert "页面不存在" in text and 'href="/"' in text and "返回上一页" in text
    denied = client_as("engineer").get("/incidents/notifications/failed/")
    assert denied.status_code == 403 and "没有权限" in denied.content.decode()
    crashed = server_error(rf.get("/"))
    assert crashed.status_code == 500 and "服务器内部错误" in crashed.content.decode()
    assert 'href="/"' in crashed.content.decode()
    csrf = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert csrf.status_code == 403
    assert "请求已失效" in csrf.content.decode() and 'href="/"' in csrf.content.decode()


def test_api_paths_that_match_no_route_answer_json(client, api_as):
    """An id the int converter refuses (``null,null``) never reaches django-ninja; the client still gets JSON."""
    from tongyun.core.errors import server_error

    for path in ("/api/v1/inspections/reports/null%2Cnull", "/api/v1/no-such-endpoint"):
        answer = client.get(path, headers=api_as("bureau_admin"))
        assert answer.status_code == 404, path
        assert answer["Content-Type"].startswith("application/json") and answer.json() == {"detail": "Not Found"}
    assert client.get("/no-such-page/").headers["Content-Type"].startswith("text/html")
    crashed = server_error(RequestFactory().get("/api/v1/incidents/"))
    assert crashed.status_code == 500 and crashed["Content-Type"].startswith("application/json")


def test_a_malformed_body_is_a_400_in_json_with_no_traceback_in_the_log(client, api_as, caplog):
    """A multipart body without a boundary is the caller's mistake: one log line, no traceback (that looks like
    a crash to whoever reads the log), and an API client gets JSON."""
    from tongyun.core.logfilters import ClientErrorWithoutTraceback

    logger = logging.getLogger("django.request")
    assert any(isinstance(f, ClientErrorWithoutTraceback) for f in logger.filters)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        answer = client.post("/api/v1/devices/import", data=b"--x--", content_type="multipart/form-data",
                             headers=api_as("bureau_admin"))
    assert answer.status_code == 400 and answer["Content-Type"].startswith("application/json")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)


def test_over_long_search_phrases_and_cursors_are_422(client, api_as):
    headers = api_as("bureau_admin")
    for path in ("/api/v1/incidents?q=" + "故" * 101, "/api/v1/systems?q=" + "x" * 101,
                 "/api/v1/incidents?cursor=" + "A" * 257):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 422, (path[:40], answer.status_code)
    assert client.get("/api/v1/incidents?q=" + "故" * 100, headers=headers).status_code == 200


# ---------------------------------------------------------------- upload limits


@override_settings(TONGYUN_UPLOAD_MAX_BYTES=1024 * 1024)
def test_uploads_beyond_the_limit_get_a_clear_message(client_as, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("catalog.xlsx", b"x" * (1024 * 1024 + 1))
    page = client_as("bureau_admin").post("/catalog/import/", {"file": big})
    assert page.status_code == 413
    assert "上传内容过大" in page.content.decode() and "1 MB" in page.content.decode()
    big.seek(0)
    answer = Client().post("/api/v1/calendar/years/2027/import", {"file": big}, headers=api_as("bureau_admin"))
    assert answer.status_code == 413 and "上限为 1 MB" in answer.json()["detail"]
    small = SimpleUploadedFile("catalog.xlsx", b"not a workbook")
    assert client_as("bureau_admin").post("/catalog/import/", {"file": small}).status_code != 413


# ---------------------------------------------------------------- API inputs


def _operations():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_ids_beyond_64_bits_are_422_everywhere(api_as, client):
    headers = api_as("bureau_admin")
    checked = 0
    for path, method, operation in _operations():
        if method != "get":
            continue
        names = {p["name"]: p for p in operation.get("parameters", [])}
        if "{" in path:
            url = re.sub(r"{(\w+)}", lambda m, names=names: str(BIG)
                         if names[m.group(1)]["schema"].get("type") == "integer" else "x", path)
            if str(BIG) not in url:
                continue
        else:
            ints = [n for n, p in names.items() if "integer" in json.dumps(p["schema"]) and n != "page_size"]
            if not ints:
                continue
            url = f"{path}?{ints[0]}={BIG}"
        response = client.get(url, headers=headers)
        assert response.status_code == 422, (url, response.status_code, response.content[:200])
        checked += 1
    assert checked >= 25


def test_page_size_and_cursor_are_checked(api_as, client):
    headers = api_as("bureau_admin")
    for query in ("page_size=0", "page_size=-1", "page_size=501", "cursor=%00", "cursor=!!notbase64",
                  "cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ=="):
        response = client.get(f"/api/v1/systems?{query}", headers=headers)
        assert response.status_code == 422, (query, response.content)
    assert len(client.get("/api/v1/systems?page_size=1", headers=headers).json()["results"]) == 1


def test_every_api_body_refuses_unknown_fields_and_control_characters():
    """Each body an endpoint declares is an InputSchema (the receivers of other products' webhooks keep
    their extra fields, see monitoring.schemas, but still refuse control characters)."""
    bodies = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    if getattr(model, "__ninja_param_source__", None) != "body":
                        continue
                    for field in model.model_fields.values():
                        annotation = field.annotation
                        candidates = getattr(annotation, "__args__", (annotation,))
                        bodies += [c for c in candidates if isinstance(c, type) and issubclass(c, Schema)]
    assert len(bodies) >= 20
    assert all(issubclass(body, InputSchema) for body in bodies), [b for b in bodies if not issubclass(b, InputSchema)]


class Labelled(InputSchema):
    name: str
    labels: dict[str, Any] = {}
    tags: list[Any] = []


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "a\x00b"}, "name"),
    ({"name": "a", "labels": {"job\x07": "x"}}, "labels"),  # a key
    ({"name": "a", "labels": {"job": {"deep": ["ok", "bad\x1b"]}}}, "labels"),
    ({"name": "a", "tags": ["ok", {"k": "\x7f"}]}, "tags"),
])
def test_control_characters_are_found_in_every_nested_text(body, field):
    with pytest.raises(ValidationError) as refused:
        Labelled.model_validate(body)
    assert refused.value.errors()[0]["loc"] == (field,)


def test_tabs_and_line_breaks_are_text_not_control_characters():
    body = {"name": "a\tb", "labels": {"k\n": "line\r\nline", "n": 3, "t": [None, "\t"]}, "tags": ["x", ("y",)]}
    assert Labelled.model_validate(body).labels["k\n"] == "line\r\nline"


def test_unknown_field_nul_and_absurd_dates_are_422_naming_the_field(api_as, client, system_of):
    headers = api_as("dispatcher")
    system = system_of("区经信局")
    good = {"system_id": system.pk, "title": "门户无法访问", "severity": "general"}

    def post(body, path="/api/v1/incidents"):
        return client.post(path, body, content_type="application/json", headers=headers)

    unknown = post({**good, "colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1] == "colour"
    nul = post({**good, "title": "门户\x00无法访问"})
    assert nul.status_code == 422 and nul.json()["detail"][0]["loc"][-1] == "title"
    assert "NUL" in nul.json()["detail"][0]["msg"]
    ancient = post({**good, "reported_at": "0001-01-01T00:00:00Z"})
    assert ancient.status_code == 422 and ancient.json()["detail"][0]["loc"][-1] == "reported_at"
    change = post({"kind": "start_date", "effective_date": "0316-03-01", "description": "x"},
                  f"/api/v1/systems/{system.pk}/changes")
    assert change.status_code in (403, 422)
    pm = api_as("pm")
    change = client.post(f"/api/v1/systems/{system.pk}/changes",
                         {"kind": "start_date", "effective_date": "0316-03-01", "description": "x"},
                         content_type="application/json", headers=pm)
    assert change.status_code == 422 and change.json()["detail"][0]["loc"][-1] == "effective_date"
    huge = post({**good, "system_id": BIG})
    assert huge.status_code == 422 and huge.json()["detail"][0]["loc"][-1] == "system_id"
    assert post(good).status_code == 201


def test_schema_names_are_unique():
    assert api.get_openapi_schema()["components"]["schemas"]  # the real document builds
    clash = TongyunAPI(urls_namespace="clash-test")
    first, second = Router(), Router()

    def model(name: str, fields: dict):
        return type(name, (Schema,), {"__annotations__": fields})

    first.get("/a", response=model("ThingOut", {"id": int}))(lambda request: {"id": 1})
    second.get("/b", response=model("ThingOut", {"name": str}))(lambda request: {"name": "x"})
    clash.add_router("/one", first)
    clash.add_router("/two", second)
    with pytest.raises(SchemaNameCollision, match="ThingOut"):
        clash.get_openapi_schema(path_prefix="")


# ---------------------------------------------------------------- secrets in logs


def test_tokens_in_urls_are_masked_in_logs():
    line = '"POST /api/v1/monitoring/alertmanager?token=s3cr3t-Token_1&x=1 HTTP/1.1" 200'
    assert "s3cr3t" not in redact(line) and "x=1" in redact(line)
    assert "Zx9_secret" not in redact("GET /inspections/feeds/Zx9_secret.ics HTTP/1.1")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Bad request: %s", (line,), None)
    assert RedactSecretsFilter().filter(record) and "s3cr3t" not in record.getMessage()


def test_gunicorn_access_log_is_masked():
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = GunicornLogger(Config())
    request = SimpleNamespace(method="POST", path="/api/v1/monitoring/events", query="token=s3cr3t",
                              uri="/api/v1/monitoring/events?token=s3cr3t", version=(1, 1), headers=[])
    response = SimpleNamespace(status="200 OK", response_length=2, sent=2, headers=[])
    environ = {"RAW_URI": "/api/v1/monitoring/events?token=s3cr3t", "REMOTE_ADDR": "10.0.0.1",
               "REQUEST_METHOD": "POST", "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "token=s3cr3t",
               "PATH_INFO": "/api/v1/monitoring/events"}
    import datetime as dt

    atoms = logger.atoms(response, request, environ, dt.timedelta(seconds=0.01))
    assert "s3cr3t" not in json.dumps(atoms, default=str)
    assert "token=[REDACTED]" in atoms["r"]


def test_the_logging_configuration_masks_every_handler(settings):
    handlers = settings.LOGGING["handlers"]
    assert all("redact_secrets" in handler.get("filters", []) for handler in handlers.values())
