#!/usr/bin/env bash
# Install everything and start tongyun on the embedded default (SQLite in $TONGYUN_DATA_DIR, default ./var)
# with the real Shunyi 2026 catalog and one demo account per role. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh
ensure_venv
# PDF reports (WeasyPrint) need pango and the CJK fonts (GB/T 9704 layout in Noto Serif/Sans CJK).
if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0" || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    if command -v apt-get >/dev/null 2>&1; then
        apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 \
                 && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null; } || true
    fi
fi
# Demo mode: the shared demo accounts log in without a second factor, so the platform can be tried at once.
# Production (`tongyun bootstrap --production`, docs/deployment.md) requires TOTP for administrators.
export TONGYUN_OTP_ENFORCED="${TONGYUN_OTP_ENFORCED:-0}"
tongyun bootstrap
# --demo-month: also load a demo month dated relative to today (tickets in every state, inspections, alerts)
for argument in "$@"; do
    if [ "$argument" = "--demo-month" ]; then tongyun demo_month; fi
done
HOST="${TONGYUN_HOST:-127.0.0.1}"
PORT="${TONGYUN_PORT:-8000}"
echo
echo "tongyun 统运 is starting at http://${HOST}:${PORT}/  (Ctrl-C to stop)"
echo "API: http://${HOST}:${PORT}/api/v1/docs   OpenAPI: http://${HOST}:${PORT}/api/v1/openapi.json"
# The background worker (django-tasks, database backend): notifications and the SLA clock sweep.
tongyun db_worker --queue-name '*' --no-reload &
WORKER=$!
trap 'kill $WORKER 2>/dev/null' EXIT INT TERM
gunicorn tongyun.wsgi:application --bind "${HOST}:${PORT}" --workers "${TONGYUN_WORKERS:-2}" \
    --threads 4 --access-logfile - --timeout 120 --logger-class tongyun.core.logredact.GunicornLogger
