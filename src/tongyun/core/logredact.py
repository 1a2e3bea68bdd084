"""Secrets that travel in a URL are masked before a log line is written.

Alert senders that cannot set a header pass their source's token as `?token=…`, and an iCalendar feed's
secret is its path (`/inspections/feeds/<token>.ics`, `/staffing/feeds/<token>.ics`: core/feeds.py). Both used
to land in the access log, where anyone reading logs could replay them. `redact()` masks them;
`RedactSecretsFilter` applies it to Django's log records (settings.LOGGING) and `GunicornLogger` to gunicorn's
access and error logs.
"""

import logging
import re

MASK = "[REDACTED]"
SECRET_QUERY = re.compile(r"(?i)((?:^|[?&;]|%3F|%26)(?:token|access_token|api_key|apikey|key)(?:=|%3D))[^&;\s\"']+")
FEED_PATH = re.compile(r"(/(?:inspections|staffing)/feeds/)[^/\s\"'?#]+(\.ics)")
BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def redact(text: str) -> str:
    if not text:
        return text
    text = SECRET_QUERY.sub(rf"\1{MASK}", text)
    text = FEED_PATH.sub(rf"\1{MASK}\2", text)
    return BEARER.sub(rf"\1{MASK}", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only needed to serve
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with the request line, path, query and referer of each access line masked
    (`--logger-class tongyun.core.logredact.GunicornLogger`, set in deploy/gunicorn.conf.py)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}

    def error(self, msg, *args, **kwargs):
        super().error(redact(str(msg)), *args, **kwargs)
