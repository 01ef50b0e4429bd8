"""The main pages at phone width: they fit the screen, and their screenshots are kept."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, save_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "en-home": "/en/",
    "zh-hans-home": "/zh-hans/",
    "en-therapy": "/en/therapies/kymriah/",
    "en-policy-list": "/en/policies/",
    "zh-hans-search": "/zh-hans/search/?q=%E5%B9%B2%E7%BB%86%E8%83%9E",
    "en-condition": "/en/conditions/knee-osteoarthritis/",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen(phone_page, name):
    phone_page.goto(PAGES[name])
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()

    save_screenshot(phone_page, f"phone-{name}")

    # Wide tables may scroll inside their own box; the page itself must not scroll sideways.
    page_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"{name} is {page_width}px wide on a {PHONE['width']}px screen"


def test_header_search_works_on_a_phone(phone_page):
    phone_page.goto("/zh-hans/")

    box = phone_page.get_by_role("search").first.get_by_role("searchbox")
    box.tap()
    box.fill("干细胞")
    box.press("Enter")

    expect(phone_page.locator("ol.search-results > li").first).to_be_visible()
