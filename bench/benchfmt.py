"""The one output format of every bench: a FIGURE line per measured figure, read by bench/run_all.py.

    FIGURE | <name> | <value> <unit> | <≤ or ≥> <target> | ratio <value/target> | ok or MISS | <detail>

The ratio is always value / target: for a "≤" target (a time, an overhead) ≤ 1 is met, for a "≥" target
(a rate) ≥ 1 is met. Figures are noisy on the shared 2-core VM: the detail column says what was measured.
"""

import json
import os
import resource
import subprocess
import sys

RSS_TARGET_MIB = 200  # a web worker's peak RSS through every bench (issue #16)


def figure(name: str, value: float, unit: str, target: float, *, at_least: bool = False, detail: str = "",
           digits: int | None = None) -> bool:
    ratio = value / target if target else (0.0 if value == 0 else float("inf"))  # a target of none: 0 meets it
    met = ratio >= 1 if at_least else ratio <= 1
    if digits is None:
        digits = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
    shown = f"{value:,.{digits}f}"
    goal = f"{target:,.0f}" if float(target).is_integer() else f"{target:g}"
    print(f"FIGURE | {name} | {shown} {unit} | {'≥' if at_least else '≤'} {goal} | ratio {ratio:.2f} | "
          f"{'ok' if met else 'MISS'} | {detail}", flush=True)
    return met


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def own_peak_rss_mib() -> float:
    """This process's own peak RSS (VmHWM of its memory map). In a child started by a bench, ru_maxrss is
    wrong: Linux carries the forked parent's high-water mark over the exec into the child's ru_maxrss."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return peak_rss_mib()


def rss_figure(what: str = "bench process") -> bool:
    """The bench process's own peak RSS (its set-up included) against the 200 MiB a web worker may use — for the
    benches that serve no request; those that do report serving_rss_figure() instead."""
    return figure(f"peak RSS ({what})", peak_rss_mib(), "MiB", RSS_TARGET_MIB, detail="ru_maxrss")


def serving_rss_figure(what: str, requests: list[dict], repeat: int = 2) -> bool:
    """The peak RSS of a web worker serving the bench's requests: a fresh process (bench/replay_requests.py) that
    serves each of `requests` ({"user": username or None, "url": …, "headers": {…}}) `repeat` times against the
    bench's database, apart from the bench's own set-up (printed in the detail)."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "replay_requests.py")
    child = subprocess.run([sys.executable, script], input=json.dumps({"repeat": repeat, "requests": requests}),
                           capture_output=True, text=True, env=os.environ.copy())
    if child.returncode != 0:
        print(f"replay failed: {child.stderr[-1500:]}", flush=True)
        return figure(f"peak RSS (web worker, {what})", float("nan"), "MiB", RSS_TARGET_MIB, detail="replay failed")
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    statuses = ", ".join(f"{n}× {code}" for code, n in sorted(outcome["statuses"].items()))
    return figure(f"peak RSS (web worker, {what})", outcome["rss_mib"], "MiB", RSS_TARGET_MIB,
                  detail=f"VmHWM of a fresh process serving {outcome['requests']} requests ({statuses}); "
                         f"bench set-up {peak_rss_mib():.0f} MiB")
