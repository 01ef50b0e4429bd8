"""axe-core on the main pages in both languages, with desktop screenshots as test artifacts."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import LANGUAGES, save_screenshot, serious_axe_violations

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/{lang}/",
    "category": "/{lang}/categories/car-t/",
    "therapy": "/{lang}/therapies/kymriah/",
    "policy-list": "/{lang}/policies/",
    "search": "/{lang}/search/?q=%E5%B9%B2%E7%BB%86%E8%83%9E",
}


def open_bioeconomy_plan(page, lang):
    """The policy page is reached from the filtered list, so the test needs no slug."""
    page.goto(f"/{lang}/policies/?jurisdiction=CN&year=2022")
    page.locator("main ul.cards").get_by_role("link", name=re.compile("Bioeconomy|生物经济")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Bioeconomy|生物经济"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", [*PAGES, "policy"])
def test_main_page_has_no_serious_accessibility_violations(page, name, lang):
    if name == "policy":
        open_bioeconomy_plan(page, lang)
    else:
        response = page.goto(PAGES[name].format(lang=lang))
        assert response.status == 200, f"{response.status} {response.url}"
    expect(page.get_by_role("main")).to_be_visible()

    violations = serious_axe_violations(page)
    save_screenshot(page, f"desktop-{lang}-{name}")

    assert not violations, "\n".join(violations)


def test_keyboard_user_can_skip_to_the_content(page):
    page.goto("/en/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
