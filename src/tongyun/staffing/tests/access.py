"""Staffing pages and endpoints in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

import datetime as dt

from tongyun.staffing import services
from tongyun.staffing.models import OnsitePost

NOT_SCOPED_PAGES = {
    # district-wide records of the contractor (major-event readiness, safety education): staffing.view roles,
    # 403 for the others (tested in staffing/tests/test_staffing.py)
    "staffing:events", "staffing:event_detail", "staffing:event_action", "staffing:safety", "staffing:safety_add",
    # forms of the PM / dispatcher (403 for others); the roster's system is picked from the scoped catalog
    "staffing:staff_import", "staffing:staff_create", "staffing:roster_create",
    # the roster's .ics has no login: its secret link is the key (tested in staffing/tests/test_roster_feeds.py)
    "staffing:roster_feed",
}
DETAIL_PAGES = {
    "staffing:staff_detail": lambda f: {"pk": f["staff"].pk},
    "staffing:staff_post_add": lambda f: {"pk": f["staff"].pk},
    "staffing:staff_certificate_add": lambda f: {"pk": f["staff"].pk},
    "staffing:post_detail": lambda f: {"pk": f["onsite_post"].pk},
    "staffing:post_assign": lambda f: {"pk": f["onsite_post"].pk},
    "staffing:change_create": lambda f: {"pk": f["onsite_post"].pk},
    "staffing:change_detail": lambda f: {"pk": f["onsite_change"].pk},
    "staffing:roster_detail": lambda f: {"pk": f["roster"].pk},
    "staffing:roster_layer_add": lambda f: {"pk": f["roster"].pk},
    "staffing:roster_override_add": lambda f: {"pk": f["roster"].pk},
    "staffing:roster_feed_create": lambda f: {"pk": f["roster"].pk},
    "staffing:roster_feed_revoke": lambda f: {"pk": f["roster"].pk, "feed_pk": f["roster_feed"].pk},
    "staffing:training_record": lambda f: {"pk": f["training"].pk},
}
LIST_PAGES = {"staffing:staff_list", "staffing:posts", "staffing:rosters", "staffing:trainings"}
EXCEL_PAGES = {"staffing:staff_export", "staffing:roster_export"}
NOT_SCOPED_API = {
    # district-wide (staffing.view roles, 403 for the others)
    "/api/v1/staffing/compliance", "/api/v1/staffing/readiness", "/api/v1/staffing/safety",
    # PM / dispatcher writes (403 for others); a roster's system_id of another unit is a 404 (tested)
    "/api/v1/staffing/staff", "/api/v1/staffing/rosters",
}
API_PARAMS = {
    "staff_id": lambda f: f["staff"].pk,
    "post_id": lambda f: f["onsite_post"].pk,
    "change_id": lambda f: f["onsite_change"].pk,
    "roster_id": lambda f: f["roster"].pk,
}
POST_BODY = {
    "replacement_id": lambda f: f["staff"].pk, "replacement_profile": "x", "name": "x", "post": "electrician",
    "since": "2026-03-01",
    "rotation_start": "2026-03-01T08:00:00+08:00", "member_ids": lambda f: [f["staff"].pk],
    "person_id": lambda f: f["staff"].pk,
}


def foreign_objects(foreign, user_of):
    pm = user_of("pm")
    system = foreign["system"]
    staff = services.create_staff(pm, name="FOREIGN-STAFF", phone="13800000000", id_number="110000200001010000")
    post = OnsitePost.objects.create(system=system, label="FOREIGN-POST", head_count=2)
    services.assign_onsite(pm, post, staff, start=dt.date(2026, 1, 1))
    other = services.create_staff(pm, name="FOREIGN-REPLACEMENT")
    change = services.request_change(pm, post, leaving=staff, replacement=other, reason="x", replacement_profile="x",
                                     effective_date=dt.date(2026, 12, 31), notified_on=dt.date(2026, 12, 1))
    roster = services.create_roster(pm, system, name="FOREIGN-ROSTER")
    services.add_layer(pm, roster, name="L1", rotation_start=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), shift_hours=24,
                       members=[staff])
    services.plan_trainings(2026)
    from tongyun.staffing.models import Training

    training = Training.objects.create(system=system, planned_on=dt.date(2026, 6, 1), topic="FOREIGN-TRAINING")
    feed = services.create_roster_feed(user_of("unit_admin"), roster)
    return {"staff": staff, "onsite_post": post, "onsite_change": change, "roster": roster, "training": training,
            "roster_feed": feed}
