"""The duty roster's secret iCalendar link (DP-12), like the inspection feeds: no login, only a digest
stored, the link shown once, regenerating revokes the old link, a wrong token is a 404, the path masked in
the logs."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.core.feeds import secret_hash
from tongyun.core.logredact import redact
from tongyun.parties import accounts as account_services
from tongyun.staffing import services
from tongyun.staffing.models import RosterFeed

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(user_of):
    pm = user_of("pm")
    system = System.objects.filter(unit__name="区经信局").order_by("row_no").first()
    roster = services.create_roster(pm, system, name="日常")
    person = services.create_staff(pm, name="值班员甲", phone="13900000002")
    services.add_layer(pm, roster, name="全天", rotation_start=timezone.now() - dt.timedelta(hours=1),
                       shift_hours=24, members=[person])
    return roster


def test_the_unit_makes_a_link_shown_once_and_the_feed_needs_no_login(client_as, roster):
    unit = client_as("unit_admin")
    page = unit.post(f"/staffing/rosters/{roster.pk}/feeds/")
    assert page.status_code == 200
    url = re.search(r'data-testid="feed-url">([^<]+)<', page.content.decode()).group(1)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = RosterFeed.objects.get()
    assert feed.token_hash == secret_hash(token) and token not in feed.token_hash  # the secret is not stored
    ics = Client().get(f"/staffing/feeds/{token}.ics")  # no login
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content and "值班员甲".encode() in ics.content
    # the detail page lists the link by its prefix only, never again in full
    detail = unit.get(f"/staffing/rosters/{roster.pk}/").content.decode()
    assert feed.token_prefix in detail and token not in detail


def test_regenerating_revokes_the_old_link(user_of, roster):
    first = services.create_roster_feed(user_of("unit_admin"), roster)
    second = services.create_roster_feed(user_of("unit_admin"), roster)
    client = Client()
    assert client.get(f"/staffing/feeds/{first.token}.ics").status_code == 404
    assert client.get(f"/staffing/feeds/{second.token}.ics").status_code == 200
    # another person's link of the same roster is theirs: it stays
    other = services.create_roster_feed(user_of("bureau_admin"), roster)
    services.create_roster_feed(user_of("unit_admin"), roster)
    assert client.get(f"/staffing/feeds/{other.token}.ics").status_code == 200


def test_revoke_and_wrong_tokens_are_404(client_as, user_of, roster):
    feed = services.create_roster_feed(user_of("unit_admin"), roster)
    client = Client()
    assert client.get("/staffing/feeds/not-a-token.ics").status_code == 404
    assert client.get(f"/staffing/feeds/{feed.token[:-1]}x.ics").status_code == 404
    # someone else cannot revoke it; its owner can
    assert client_as("bureau_admin").post(
        f"/staffing/rosters/{roster.pk}/feeds/{feed.pk}/revoke/").status_code == 404
    assert client.get(f"/staffing/feeds/{feed.token}.ics").status_code == 200
    assert client_as("unit_admin").post(f"/staffing/rosters/{roster.pk}/feeds/{feed.pk}/revoke/").status_code == 302
    assert client.get(f"/staffing/feeds/{feed.token}.ics").status_code == 404


def test_the_feed_stops_when_its_owner_no_longer_sees_the_roster(user_of, roster):
    feed = services.create_roster_feed(user_of("unit_staff"), roster)
    assert Client().get(f"/staffing/feeds/{feed.token}.ics").status_code == 200
    account_services.account_set_active(user_of("unit_admin"), user_of("unit_staff"), False)
    assert Client().get(f"/staffing/feeds/{feed.token}.ics").status_code == 404


def test_another_unit_cannot_make_a_link(user_of, roster):
    with pytest.raises(PermissionDenied):
        services.create_roster_feed(user_of("unit_admin_education"), roster)
    assert not RosterFeed.objects.exists()


def test_the_feed_path_is_masked_in_the_logs():
    line = 'GET /staffing/feeds/Zx9_s3cret-token.ics HTTP/1.1" 200'
    assert "Zx9_s3cret-token" not in redact(line) and "/staffing/feeds/" in redact(line)
