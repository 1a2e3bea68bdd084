#!/usr/bin/env bash
# API contract: schemathesis over the whole OpenAPI document (/api/v1/openapi.json) against a real server,
# once with a bureau token and once with a user-unit token. Fails on any server error (5xx), any status code
# the document does not list, any answer that does not match its documented schema or content type.
# Bounded: TONGYUN_FUZZ_SECONDS per account (default 90). Runs on SQLite in a throwaway data dir, or on
# $TONGYUN_FUZZ_DATABASE_URL (PostgreSQL) when set.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ACCOUNT="${TONGYUN_FUZZ_SECONDS:-90}"
export TONGYUN_DATA_DIR="${TONGYUN_FUZZ_DATA_DIR:-$(mktemp -d)}"
if [ -n "${TONGYUN_FUZZ_DATABASE_URL:-}" ]; then export DATABASE_URL="$TONGYUN_FUZZ_DATABASE_URL"; else unset DATABASE_URL; fi
# The contract run checks the API's shape, not login protection (tested in parties/tests): the fuzzer's wrong
# passwords at /auth/token must not lock the address out, and the admin accounts get tokens without a TOTP code.
export TONGYUN_OTP_ENFORCED=0 TONGYUN_LOGIN_FAILURE_LIMIT=1000000
PY="${PYTHON_BIN:-python}"
BIN="$(dirname "$(command -v "$PY")")"
"$PY" -m tongyun.manage bootstrap >"$TONGYUN_DATA_DIR/bootstrap.log" 2>&1 || { cat "$TONGYUN_DATA_DIR/bootstrap.log"; exit 1; }
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:${PORT}"
# --limit-request-line as in production (deploy/gunicorn.conf.py): a long query reaches Django and gets its 422
"$BIN/gunicorn" tongyun.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 --threads 2 --timeout 60 --limit-request-line 8190 \
    --log-level warning --logger-class tongyun.core.logredact.GunicornLogger >"$TONGYUN_DATA_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
"$PY" - "$BASE" <<'PYEOF'
import sys, time, urllib.request
deadline = time.monotonic() + 300  # a loaded CI machine starts gunicorn slowly
while True:
    try:
        urllib.request.urlopen(sys.argv[1] + "/api/v1/openapi.json", timeout=30).read()
        break
    except OSError as error:
        if time.monotonic() > deadline:
            sys.exit(f"the server did not start: {error}")
        time.sleep(1)
PYEOF
token() {
    "$PY" - "$BASE" "$1" <<'PYEOF'
import json, os, sys, urllib.request
password = os.environ.get("TONGYUN_DEMO_PASSWORD", "tongyun-demo-2026")  # the demo accounts' (bootstrap)
body = json.dumps({"username": sys.argv[2], "password": password, "name": "api-contract"}).encode()
request = urllib.request.Request(sys.argv[1] + "/api/v1/auth/token", data=body,
                                 headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(request))["token"])
PYEOF
}
status=0
declare -A TOKENS
for account in bureau_admin unit_admin; do TOKENS[$account]="$(token "$account")"; done  # before any fuzzing
for account in bureau_admin unit_admin; do
    echo "== schemathesis as ${account} (${SECONDS_PER_ACCOUNT} s)"
    TOKEN="${TOKENS[$account]}"
    # Revoking the token in use would end the run early: that endpoint is tested in parties/tests.
    "$BIN/schemathesis" run "${BASE}/api/v1/openapi.json" \
        --header "Authorization: Bearer ${TOKEN}" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --exclude-name "DELETE /api/v1/auth/token" --exclude-name "DELETE /api/v1/auth/tokens/{token_id}" \
        --max-time "$SECONDS_PER_ACCOUNT" --workers 1 --seed 2026 --no-color \
        --request-timeout 30 --suppress-health-check all || status=1
done
if grep -q "Internal Server Error\|Traceback" "$TONGYUN_DATA_DIR/server.log"; then
    echo "== server errors in the log:"; grep -B2 -A30 "Traceback" "$TONGYUN_DATA_DIR/server.log" | head -120
    status=1
fi
exit $status
