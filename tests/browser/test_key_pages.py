"""The key pages in a real browser (Debian's Chromium through Playwright), against a live server
holding the real Shunyi 2026 catalog.

Each test loads the catalog itself (the live server flushes the database after every test), so
there are few tests and each checks several things.
"""

import re

import pytest
from django.db.models import Q
from django.utils import translation

from tongyun.catalog.models import System

pytestmark = pytest.mark.browser

UNIT = "区经信局"
SEARCH = "平台"
CJK = re.compile(r"[\u4e00-\u9fff]")
PHONE = {"width": 390, "height": 844}


def _expect():
    from playwright.sync_api import expect

    return expect


def _rendering_fonts(page, selector: str) -> dict[str, int]:
    """Family -> glyph count of the platform fonts Chromium really used to draw the element's text."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def test_unit_admin_home_search_detail_and_language(new_page, login, tmp_path):
    expect = _expect()
    page = new_page(viewport={"width": 1280, "height": 900})

    # a. Log in → the home page is the unit's work: a 报障 button, then the unit's systems.
    login(page, "unit_admin")
    unit_systems = System.objects.filter(unit__name=UNIT)
    expect(page.get_by_test_id("report-button")).to_be_visible()
    expect(page.locator("h3:text-is('本单位的系统') + ul a")).to_have_count(min(unit_systems.count(), 50))

    # b. Catalog list: typing in the search box updates #results through HTMX.
    page.goto(f"{page.url.rstrip('/')}/catalog/systems/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(unit_systems.count())
    matches = unit_systems.filter(
        Q(name__icontains=SEARCH) | Q(unit__name__icontains=SEARCH) | Q(description__icontains=SEARCH)
    ).order_by("row_no")
    assert 0 < matches.count() < unit_systems.count(), "the search should narrow the list"
    known = next(s for s in matches if SEARCH in s.name and s.sla_terms.exists())

    search = page.locator("input[name=q]")
    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true") as hx:
        search.fill(SEARCH)
        search.press("End")  # a real keyup: HTMX listens for "keyup changed"
    assert hx.value.ok
    expect(rows).to_have_count(matches.count())
    expect(page).to_have_url(re.compile(r"[?&]q="))  # hx-push-url
    shown = rows.locator("td:nth-child(2)").all_inner_texts()
    assert sorted(shown) == sorted(s.name for s in matches)

    # ... and a system's page shows its name and its SLA tiers.
    page.locator("#results").get_by_role("link", name=known.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/catalog/systems/{known.pk}/$"))
    expect(page.get_by_test_id("system-name")).to_have_text(known.name)
    expect(page.get_by_test_id("sla-table").locator("tbody tr")).to_have_count(known.sla_terms.count())

    # Chinese is drawn with a CJK font (not as boxes).
    heading = page.get_by_test_id("system-name")
    page.screenshot(path=tmp_path / "system-detail.png", full_page=True)
    assert (tmp_path / "system-detail.png").stat().st_size > 0
    assert CJK.search(heading.inner_text())
    assert heading.bounding_box()["width"] > 0
    # document.fonts.check() is no proof: Chromium answers true even for a font that is not
    # installed. Ask Chromium (DevTools protocol) which platform fonts really drew the heading.
    fonts = _rendering_fonts(page, "[data-testid=system-name]")
    assert any("CJK" in family and glyphs > 0 for family, glyphs in fonts.items()), fonts

    # d. The header's "English" button switches the interface language.
    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/catalog/systems/{known.pk}/$"))  # back where we were
    with translation.override("en"):
        catalog_label = translation.gettext("系统目录")
    if catalog_label != "系统目录":  # only once the English catalogue is compiled (django.mo)
        expect(page.locator("header nav")).to_contain_text(catalog_label)
        expect(page.locator("header nav")).not_to_contain_text("系统目录")
    expect(page.locator("header button[name=language][value=zh-hans]")).to_have_text("中文")

    # Every script, stylesheet and font came from this server (the vendored copies).
    assert page.requests, "no request was recorded"
    assert page.requests.external() == []


def test_engineer_home_on_a_phone(new_page, login, tmp_path):
    expect = _expect()
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)

    login(page, "engineer")
    heading = page.get_by_role("heading", name="我负责的系统")
    expect(heading).to_be_visible()
    assigned = System.objects.filter(assignments__user__username="engineer").order_by("pk")
    assert assigned.exists()
    links = page.locator("h3:text-is('我负责的系统') + ul a")
    expect(links).to_have_count(assigned.count())
    assert sorted(links.all_inner_texts()) == sorted(s.name for s in assigned)
    assert page.requests.external() == []

    # The assigned system opens from the list.
    first = assigned.first()
    links.filter(has_text=first.name).first.click()
    expect(page.get_by_test_id("system-name")).to_have_text(first.name)

    # The home page does not scroll sideways on a phone.
    page.go_back()
    expect(heading).to_be_visible()
    page.screenshot(path=tmp_path / "engineer-phone.png", full_page=True)
    # Against the phone's width, not innerWidth alone: with mobile emulation Chromium widens the
    # layout viewport to fit content that overflows, and innerWidth follows it.
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= min(inner_width, PHONE["width"]) + 1, (
        f"horizontal overflow on a {PHONE['width']}px phone: scrollWidth {scroll_width}, innerWidth {inner_width}"
    )
