"""The one output format of every bench: a FIGURE line per measured figure, read by bench/run_all.py.

    FIGURE | <name> | <value> <unit> | <≤ or ≥> <target> | ratio <value/target> | ok or MISS | <detail>

The ratio is always value / target: for a "≤" target (a time, an overhead) ≤ 1 is met, for a "≥" target
(a rate) ≥ 1 is met. Figures are noisy on the shared 2-core VM: the detail column says what was measured.
"""

import resource

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


def rss_figure(what: str = "bench process") -> bool:
    """The process's peak RSS against the 200 MiB a web worker may use."""
    return figure(f"peak RSS ({what})", peak_rss_mib(), "MiB", RSS_TARGET_MIB, detail="ru_maxrss")
