# Shared by scripts/start.sh and scripts/test.sh: a virtualenv in .venv with tongyun installed.
PYTHON="${PYTHON:-python3}"

ensure_venv() {
    if [ ! -x .venv/bin/python ]; then
        "$PYTHON" -m venv .venv
    fi
    # shellcheck disable=SC1091
    source .venv/bin/activate
    local stamp=.venv/.tongyun-installed
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        python -m pip install --quiet --upgrade pip
        python -m pip install --quiet -e '.[dev]'
        touch "$stamp"
    fi
}
