"""The deployment files in deploy/ stay consistent with the code: gunicorn runs several processes with the
masking logger, the systemd units start what exists, the workers are a template for two or more."""

import configparser
import runpy
from pathlib import Path

from django.utils.module_loading import import_string

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def test_gunicorn_configuration(monkeypatch):
    monkeypatch.delenv("TONGYUN_WORKERS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] >= 2 and config["bind"].startswith("127.0.0.1:")
    assert import_string(config["logger_class"]).__name__ == "GunicornLogger"


def test_systemd_units():
    web = _unit("tongyun-web.service")
    start = web["Service"]["ExecStart"]
    assert "gunicorn.conf.py" in start and "tongyun.wsgi:application" in start
    worker = _unit("tongyun-worker@.service")
    assert "db_worker" in worker["Service"]["ExecStart"] and "%i" in worker["Service"]["ExecStart"]
    backup = _unit("tongyun-backup.service")
    assert backup["Service"]["ExecStart"].endswith("tongyun backup")
    assert _unit("tongyun-backup.timer")["Timer"]["OnCalendar"]
    env = (DEPLOY / "tongyun.env.example").read_text()
    for name in ("TONGYUN_PRODUCTION=1", "TONGYUN_ALLOWED_HOSTS=", "TONGYUN_CSRF_ORIGINS=https://", "DATABASE_URL="):
        assert name in env
