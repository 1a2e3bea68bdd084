#!/usr/bin/env bash
# Run the whole test suite: lint, then every test on SQLite, then again on PostgreSQL, then the API contract
# (schemathesis over the whole API as a bureau and a unit account, scripts/api-contract.sh).
# PostgreSQL: $TONGYUN_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
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

# The browser tests drive Debian's chromium; CJK fonts make Chinese render as text, not boxes.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    if command -v apt-get >/dev/null 2>&1; then
        apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
    fi
fi

echo "== ruff"
ruff check src tools bench tests

export TONGYUN_DATA_DIR="${TONGYUN_DATA_DIR:-$(mktemp -d)}"
echo "== pytest on SQLite"
env -u DATABASE_URL pytest "$@"
echo "== pytest on PostgreSQL"
DATABASE_URL="${TONGYUN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" pytest "$@"
echo "== API contract (schemathesis)"
TONGYUN_FUZZ_SECONDS="${TONGYUN_FUZZ_SECONDS:-75}" TONGYUN_FUZZ_DATA_DIR="$(mktemp -d)" bash scripts/api-contract.sh
