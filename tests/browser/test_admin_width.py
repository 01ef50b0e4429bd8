"""Editors' screens at 1280 px: a therapy with its approvals, and an approval with its events,
fit the window without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import DESKTOP, save_screenshot

pytestmark = pytest.mark.browser

PASSWORD = "a long browser-test password 1280"


@pytest.fixture(scope="module")
def editor_login(site_url, django_db_blocker):
    """A superuser saved for the live server (the package's flush removes it afterwards)."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        get_user_model().objects.create_superuser("width-editor", "editor@example.org", PASSWORD)
    return "width-editor"


def log_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("screen", ["therapy", "approval"])
def test_admin_screens_fit_1280_px(page, editor_login, django_db_blocker, screen):
    from therapies.models import Approval, Therapy

    with django_db_blocker.unblock():
        kymriah = Therapy.objects.get(slug="kymriah")
        approval = Approval.objects.filter(therapy=kymriah).exclude(events=None).first()
    log_in(page, editor_login)
    url = (f"/admin/therapies/therapy/{kymriah.pk}/change/" if screen == "therapy"
           else f"/admin/therapies/approval/{approval.pk}/change/")
    page.goto(url)
    expect(page.locator("#content")).to_be_visible()
    save_screenshot(page, f"admin-{screen}-1280")
    width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(WIDEST)
    assert width <= DESKTOP["width"], f"the {screen} form is {width}px wide at {DESKTOP['width']}px: {widest}"


# The innermost elements reaching past the window, to say what to fix when the test fails.
WIDEST = """() => [...document.querySelectorAll('#content *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth && ![...e.children].some(
      c => c.getBoundingClientRect().right > window.innerWidth))
  .slice(0, 5)
  .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))"""
