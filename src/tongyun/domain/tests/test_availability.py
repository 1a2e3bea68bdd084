"""Worked examples of docs/availability.md. Times are hours from 00:00 on the 1st of a 30-day month
(720 h) unless said otherwise."""

import datetime as dt

import pytest

from tongyun.domain.availability import (
    Figure,
    clip,
    device_figure,
    down_unit_time,
    falls_short,
    intersect,
    length,
    merge,
    percent,
    service_window,
    subtract,
    weighted_availability,
)

MONTH = (0.0, 720.0)


def test_merge_joins_overlapping_and_touching_and_drops_empty():
    assert merge([(5, 7), (1, 3), (2, 4), (4, 4.5), (9, 9)]) == [(1, 4.5), (5, 7)]
    assert merge([]) == []


def test_clip_keeps_the_parts_inside():
    assert clip([(-10, 5), (100, 800), (900, 950)], *MONTH) == [(0, 5), (100, 720)]


def test_subtract_cuts_holes_and_trims_ends():
    assert subtract([(0, 100)], [(10, 20), (15, 30), (90, 120), (-5, 2)]) == [(2, 10), (30, 90)]
    assert subtract([(0, 10), (20, 30)], [(5, 25)]) == [(0, 5), (25, 30)]
    assert subtract([(0, 10)], [(0, 10)]) == []
    assert subtract([(0, 10)], []) == [(0, 10)]


def test_intersect():
    assert intersect([(0, 10), (20, 30)], [(5, 25), (28, 40)]) == [(5, 10), (20, 25), (28, 30)]


def test_service_window_clips_to_service_start_end_and_now():
    assert service_window(0, 720) == (0, 720)
    assert service_window(0, 744, service_start=576) == (576, 744)  # July, service from the 25th
    assert service_window(0, 720, service_end=240) == (0, 240)
    assert service_window(0, 720, now=100) == (0, 100)
    assert service_window(0, 720, service_start=800) is None  # starts next month
    assert service_window(0, 720, now=-1) is None  # a future month


def test_worked_example_exclusions_leave_numerator_and_denominator():
    """A 30 h outage 100–130; an approved maintenance window 110–120 and an accepted force-majeure
    outage 125–140 overlap it. E = 25 h, S = 695 h, D = 100–110 + 120–125 = 15 h."""
    outages = [(100, 130)]
    exclusions = [(110, 120), (125, 140)]
    figure = device_figure(MONTH, outages, exclusions)
    assert figure.excluded == 25
    assert figure.service == 695
    assert figure.down == 15
    assert figure.availability == pytest.approx(680 / 695)  # 97.84 %: short of 98 %
    assert falls_short(figure.availability, 98)
    # without the exclusions: 1 − 30/720 = 95.83 %; numerator only would have said 1 − 15/720 = 97.92 %
    assert device_figure(MONTH, outages).availability == pytest.approx(1 - 30 / 720)


def test_overlapping_outages_of_one_device_count_once():
    figure = device_figure(MONTH, [(10, 20), (15, 30), (15, 30), (700, 800)])
    assert figure.down == 20 + 20  # 10–30 and 700–720 (clipped at the month's end)
    assert figure.availability == pytest.approx(1 - 40 / 720)


def test_service_start_clipping_july_25():
    """July has 744 h; service from 25 July 00:00 (576 h) leaves 168 h. A 4 h outage on 20 July (before
    service) does not count; one of 8.4 h on the 26th does: 1 − 8.4/168 = 95 %."""
    window = service_window(0, 744, service_start=576)
    figure = device_figure(window, [(460, 464), (600, 608.4)])
    assert figure.service == 168
    assert figure.down == pytest.approx(8.4)
    assert figure.availability == pytest.approx(0.95)


def test_quantity_weighting():
    """Row of 10 cameras with one camera down 72 h: 1 − 72 / (10 × 720) = 99 %. A single server never
    down: 100 %. System: (10 × 99 % + 1 × 100 %) / 11 = 99.09 %."""
    cameras = device_figure(MONTH, [(0, 72)], units=10)
    server = device_figure(MONTH, [], units=1)
    assert cameras.availability == pytest.approx(0.99)
    assert cameras.down == 72 and cameras.unit_service == 7200
    assert weighted_availability([cameras, server]) == pytest.approx((10 * 0.99 + 1.0) / 11)


def test_an_outage_may_state_more_units_overlaps_take_the_largest_count():
    # 3 units down 0–10, 1 unit 5–20 (overlaps: 3 hold until 10), capped at the row's 4 units
    assert down_unit_time([(0, 10, 3), (5, 20, 1)], units=4) == 3 * 10 + 1 * 10
    assert down_unit_time([(0, 10, 9)], units=4) == 40
    assert down_unit_time([(0, 10), (5, 20)], units=4) == 20


def test_rows_without_service_time_are_left_out_of_the_mean():
    excluded_all_month = device_figure(MONTH, [(1, 2)], [(0, 720)], units=5)
    assert excluded_all_month.availability is None and excluded_all_month.down == 0
    running = device_figure(MONTH, [(0, 7.2)])
    assert weighted_availability([excluded_all_month, running]) == pytest.approx(0.99)
    assert weighted_availability([]) is None
    assert device_figure(None, [(0, 1)]).availability is None


def test_target_met_exactly_is_not_a_shortfall():
    assert not falls_short(0.98, 98)
    assert falls_short(0.9799, 98)
    assert not falls_short(0.97996, 98)  # shows as 98.00 %
    assert not falls_short(None, 98)
    assert not falls_short(0.5, None)
    assert percent(680 / 695) == 97.84 and percent(None) is None


def test_works_on_epoch_seconds():
    tz = dt.timezone(dt.timedelta(hours=8))
    start = dt.datetime(2026, 10, 1, tzinfo=tz).timestamp()
    end = dt.datetime(2026, 11, 1, tzinfo=tz).timestamp()
    down = (dt.datetime(2026, 10, 5, 8, tzinfo=tz).timestamp(), dt.datetime(2026, 10, 5, 20, tzinfo=tz).timestamp())
    figure = device_figure((start, end), [down])
    assert figure.availability == pytest.approx(1 - 12 / 744)
    assert length(merge([down])) == 12 * 3600
    assert Figure(units=1, service=0, down=0).availability is None


# ---------------------------------------------------------------- honest: unobserved time is no data

from tongyun.domain import availability as a  # noqa: E402

H = 3600.0


def test_a_device_nobody_observed_has_no_figure_not_100_percent():
    figure = a.device_figure((0.0, 744 * H), [], observed=[])
    assert figure.availability is None and figure.unobserved == 744 * H
    assert a.observed_share([figure]) == 0.0
    assert a.weighted_availability([figure]) is None


def test_only_observed_time_counts_and_the_share_says_how_much():
    # watched from the 21st (day 20 00:00) on; down 7.44 h then
    figure = a.device_figure((0.0, 744 * H), [(500 * H, 507.44 * H)], observed=[(480 * H, 744 * H)])
    assert figure.service == 264 * H and figure.unobserved == 480 * H
    assert round(figure.availability, 6) == round(1 - 7.44 / 264, 6)
    assert round(a.observed_share([figure]), 6) == round(264 / 744, 6)


def test_an_outage_recorded_with_an_incident_counts_though_nothing_watched():
    # no monitoring at all, but the engineer recorded a 10 h outage with the incident
    figure = a.device_figure((0.0, 744 * H), [(100 * H, 110 * H)], observed=[])
    assert figure.service == 10 * H and figure.down == 10 * H and figure.availability == 0.0
    assert a.observed_share([figure]) == 10 / 744
