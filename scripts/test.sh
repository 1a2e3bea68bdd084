#!/usr/bin/env bash
# Run the whole test suite: lint, then every test on SQLite and on PostgreSQL (side by side), then the API contract
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
ruff check src tools bench tests conftest.py

# The two databases' runs go side by side, one per core (they share nothing: each has its own data directory
# and database, every server a test starts takes a free port); each line is prefixed with its database and a
# failed run's whole output is printed again at the end, in one piece.
logs="$(mktemp -d)"
run_suite() {  # name, then the environment's changes
    local name="$1"; shift
    set +e
    env "$@" TONGYUN_DATA_DIR="$(mktemp -d)" pytest "${PYTEST_ARGS[@]}" 2>&1 | tee "$logs/$name.log" | sed -u "s/^/[$name] /"
    local rc="${PIPESTATUS[0]}"
    echo "$rc" >"$logs/$name.rc"
}
PYTEST_ARGS=("$@")
echo "== pytest on SQLite and on PostgreSQL, side by side"
run_suite sqlite -u DATABASE_URL &
run_suite postgresql DATABASE_URL="${TONGYUN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" &
wait
failed=0
for name in sqlite postgresql; do
    rc="$(cat "$logs/$name.rc" 2>/dev/null || echo 1)"
    if [ "$rc" != 0 ]; then
        echo "== pytest on $name FAILED (exit $rc); its whole output:"
        cat "$logs/$name.log"
        failed=1
    else
        echo "== pytest on $name: $(tail -n 1 "$logs/$name.log")"
    fi
done
[ "$failed" = 0 ] || exit 1
echo "== API contract (schemathesis)"
# Schemathesis closes each run on a pytest-style line that counts no test ("==== 4 warnings in 75 s ===="), which
# CI would read as the run's own closing line: it is printed without its bars.
TONGYUN_FUZZ_SECONDS="${TONGYUN_FUZZ_SECONDS:-75}" TONGYUN_FUZZ_DATA_DIR="$(mktemp -d)" bash scripts/api-contract.sh \
    | sed -u -E 's/^=+ (.* in [0-9.]+s) =+$/schemathesis closed: \1/'

# The last lines are the two suites' pytest closing lines, then the whole run's count in the plain form CI reads
# ("N passed, N failed").
count() {  # outcome: the two suites' count of it, from pytest's closing lines
    tail -n 1 "$logs/sqlite.log" "$logs/postgresql.log" | grep -oE "[0-9]+ $1" | awk '{ n += $1 } END { print n + 0 }'
}
echo "== both suites (SQLite and PostgreSQL), the API contract passed; the suites' closing lines:"
tail -q -n 1 "$logs/sqlite.log" "$logs/postgresql.log"
echo "tests: $(count passed) passed, $(count failed) failed, $(count skipped) skipped"
