"""gunicorn for tongyun in production (deploy/tongyun-web.service): several processes on 127.0.0.1 behind
the TLS reverse proxy (deploy/nginx-tongyun.conf); access log with secrets masked."""

import os

bind = os.environ.get("TONGYUN_BIND", "127.0.0.1:8000")  # only the proxy may reach it (X-Forwarded-Proto)
workers = int(os.environ.get("TONGYUN_WORKERS", "4"))  # at least 2: one busy process never stops the site
threads = int(os.environ.get("TONGYUN_THREADS", "4"))
timeout = 120
graceful_timeout = 30
max_requests = 2000  # recycle processes now and then
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
logger_class = "tongyun.core.logredact.GunicornLogger"  # ?token=… and feed tokens masked in the access log
limit_request_line = 8190
