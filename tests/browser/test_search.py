"""Searching from the header box, in English and in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import url_path_is

pytestmark = pytest.mark.browser


def search_from_header(page, query):
    """Type into the header's search box (found by its landmark and label) and press Enter."""
    box = page.get_by_role("search").first.get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")


def result_titles(page):
    return page.locator("ol.search-results > li > a").all_inner_texts()


@pytest.mark.parametrize(
    ("language", "query", "expected_title"),
    [
        ("en", "osteoarthritis", "Knee osteoarthritis"),
        ("zh-hans", "骨关节炎", "膝骨关节炎"),
        # (干细胞 alone is in the title or keywords of more than a page of items now.)
        ("zh-hans", "间充质干细胞", "间充质干细胞（MSC）"),
        ("zh-hans", "生物经济", "“十四五”生物经济发展规划"),
    ],
)
def test_header_search_finds_the_item(page, language, query, expected_title):
    page.goto(f"/{language}/")

    search_from_header(page, query)

    expect(page).to_have_url(re.compile(rf"/{language}/search/\?q="))
    expect(page.get_by_role("searchbox").first).to_have_value(query)
    expect(page.locator("ol.search-results")).to_be_visible()
    assert any(expected_title in title for title in result_titles(page)), result_titles(page)


def test_an_english_inflection_matches_the_other_form(page):
    """'therapies' finds items that only say 'therapy' (stemming), e.g. the CAR-T category."""
    page.goto("/en/")

    search_from_header(page, "therapies")

    titles = result_titles(page)
    assert "CAR-T cell therapy" in titles, titles
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d+ results? for “therapies”"))


def test_a_search_result_leads_to_its_page(page):
    page.goto("/en/search/?q=knee+osteoarthritis")

    page.locator("ol.search-results").get_by_role("link", name="Knee osteoarthritis").click()

    expect(page).to_have_url(url_path_is("/en/conditions/knee-osteoarthritis/"))


def test_a_junk_query_gets_a_helpful_page(page):
    page.goto("/en/")

    search_from_header(page, "%%% ??? ***")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status")).to_contain_text("no searchable words")
