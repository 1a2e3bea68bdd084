import datetime as dt

from tongyun.domain import correlation as c

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
# core(1) ← switch(2) ← cameras 10, 11, 12; switch(3) ← camera 20; server 30 alone
UP = {1: None, 2: 1, 3: 1, 10: 2, 11: 2, 12: 2, 20: 3, 30: None}


def test_chain_walks_to_the_top_and_survives_loops():
    assert c.chain(10, UP) == [10, 2, 1]
    assert c.chain(5, {5: 6, 6: 5}) == [5, 6]


def test_cameras_behind_one_switch_share_a_group_key():
    assert c.new_group_key(7, 10, UP, "alertname=X") == "7:dev:2"
    assert "7:dev:2" in c.candidate_keys(7, 11, UP, "alertname=X")
    assert c.new_group_key(7, 20, UP, "") == "7:dev:3"
    assert c.new_group_key(7, 30, UP, "alertname=X") == "7:lbl:alertname=X"
    assert c.new_group_key(7, 30, UP, "") == "7:dev:30"
    assert c.new_group_key(7, None, UP, "") == "7:sys"


def test_switch_alert_joins_the_group_of_its_cameras():
    group = c.GroupView(id=1, key="7:dev:2", closed_at=None)
    assert c.pick_group(c.candidate_keys(7, 2, UP, ""), [group], T) == group


def test_flapping_rejoins_within_the_window_only():
    closed = c.GroupView(id=1, key="7:dev:2", closed_at=T)
    keys = c.candidate_keys(7, 10, UP, "")
    assert c.pick_group(keys, [closed], T + dt.timedelta(minutes=9)) == closed
    assert c.pick_group(keys, [closed], T + dt.timedelta(minutes=11)) is None
    assert c.pick_group(keys, [closed], T + dt.timedelta(minutes=11), window=dt.timedelta(minutes=30)) == closed
    done = c.GroupView(id=2, key="7:dev:2", closed_at=None, joinable=False)  # its incident was closed
    assert c.pick_group(keys, [done], T) is None


def test_open_group_wins_and_nearest_key_first():
    open_core = c.GroupView(id=1, key="7:dev:1", closed_at=None)
    open_switch = c.GroupView(id=2, key="7:dev:2", closed_at=None)
    assert c.pick_group(c.candidate_keys(7, 10, UP, ""), [open_core, open_switch], T) == open_switch


def test_likely_cause():
    assert c.likely_cause([10, 11, 12], UP, down=[]) == 2  # the common switch, though not monitored
    assert c.likely_cause([10, 11, 2], UP, down=[]) == 2  # the switch itself is down
    assert c.likely_cause([10, 20], UP, down=[]) == 1  # two switches' cameras: the core
    assert c.likely_cause([10, 20], UP, down=[1, 2]) == 1  # the top-most one that is down
    assert c.likely_cause([10], UP, down=[]) is None  # a lone camera is not its own cause
    assert c.likely_cause([10], UP, down=[2]) == 2
    assert c.likely_cause([10, 30], UP, down=[]) is None


def test_severity_and_label_key():
    assert c.highest(["general", "urgent", "minor"]) == "urgent"
    assert c.highest([]) is None
    assert c.more_severe("serious", "general") and not c.more_severe("minor", "general")
    assert c.label_key({"alertname": "X", "job": "j"}, ["job", "alertname", "missing"]) == "alertname=X,job=j"
    assert c.label_key({"a": "v" * 300}, ["a"]).startswith("sha1=")
    assert c.anchor_of("7:dev:2") == 2 and c.anchor_of("7:lbl:a=b") is None


# ---------------------------------------------------------------- order independence (property tests)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def test_switch_before_its_cameras_is_one_group():
    """The bug of issue 8: a switch without upstream alerts (alertname=SwitchDown) before its cameras
    (alertname=CameraOffline) — two groups by the old keys. By the relation it is one, in either order."""
    up = {2: None, 10: 2, 11: 2}
    alerts = {1: c.tokens(7, 2, up, "alertname=SwitchDown"), 2: c.tokens(7, 10, up, "alertname=CameraOffline"),
              3: c.tokens(7, 11, up, "alertname=CameraOffline")}
    assert c.partition(alerts) == {frozenset({1, 2, 3})}
    assert c.assign([1, 2, 3], alerts) == c.assign([2, 3, 1], alerts) == {frozenset({1, 2, 3})}


def test_relation_examples():
    # core(1) ← switch(2) ← cameras 10, 11, 12; switch(3) ← camera 20; server 30 alone
    t = {d: c.tokens(7, d, UP, "") for d in UP}
    assert c.related(t[10], t[11])        # siblings behind switch 2
    assert c.related(t[10], t[1])         # the core is upstream of camera 10
    assert not c.related(t[10], t[20])    # only a common grand-parent: independent faults
    assert not c.related(t[30], t[10])
    assert not c.related(c.tokens(7, 10, UP, ""), c.tokens(8, 10, UP, ""))  # never across systems
    # labels join only where topology cannot: 30 (no upstream) and a device-less alert
    assert c.related(c.tokens(7, 30, UP, "alertname=X"), c.tokens(7, None, UP, "alertname=X"))
    assert not c.related(c.tokens(7, 10, UP, "alertname=X"), c.tokens(7, 20, UP, "alertname=X"))
    assert not c.related(c.tokens(7, 10, UP, "alertname=X"), c.tokens(7, 30, UP, "alertname=X"))
    assert not c.related(c.tokens(7, 30, UP, "alertname=X"), c.tokens(7, 30, UP, "alertname=Y"))
    assert c.related(c.tokens(7, None, UP, ""), c.tokens(7, None, UP, ""))


@st.composite
def storms(draw):
    """A random topology of up to 40 devices (a forest, loops excluded) and alerts on some of them —
    with and without devices and group labels — in a random order."""
    size = draw(st.integers(1, 40))
    upstream = {d: (draw(st.sampled_from([None, *range(d)])) if d else None) for d in range(size)}
    count = draw(st.integers(1, 30))
    alerts = {}
    for alert in range(count):
        device = draw(st.one_of(st.none(), st.integers(0, size - 1)))
        labels = draw(st.sampled_from(["", "alertname=A", "alertname=B"]))
        system = draw(st.sampled_from([7, 7, 7, 8]))
        alerts[alert] = c.tokens(system, device, upstream, labels)
    order = draw(st.permutations(list(alerts)))
    return alerts, order


@settings(max_examples=300, deadline=None)
@given(storms())
def test_groups_do_not_depend_on_arrival_order(storm):
    alerts, order = storm
    assert c.assign(order, alerts) == c.partition(alerts) == c.assign(sorted(alerts), alerts)
