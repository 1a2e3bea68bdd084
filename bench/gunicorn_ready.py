"""gunicorn configuration for the benches: each worker, once it has loaded the application, leaves a file named
by its pid in $TONGYUN_BENCH_READY_DIR, so a bench starts timing when every worker can answer — not while one
is still importing (that is start-up time, not throughput)."""

import os
from pathlib import Path


def post_worker_init(worker):
    directory = os.environ.get("TONGYUN_BENCH_READY_DIR")
    if directory:
        Path(directory, str(worker.pid)).touch()
