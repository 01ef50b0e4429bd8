"""The policy list's facets, and the bioeconomy plan reached through them."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BIOECONOMY_EN = "14th Five-Year Plan for Bioeconomy Development"


def listed_titles(page):
    return page.locator("main ul.cards > li > a").all_inner_texts()


def test_visitor_filters_policies_by_jurisdiction_and_year(page):
    page.goto("/en/policies/")
    everything = page.get_by_role("status").inner_text()

    page.get_by_label("Jurisdiction").select_option(label="China")
    page.get_by_label("Year issued").select_option("2022")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/en/policies/\?.*jurisdiction=CN"))
    expect(page).to_have_url(re.compile(r"year=2022"))
    expect(page.get_by_label("Jurisdiction")).to_have_value("CN")
    titles = listed_titles(page)
    assert BIOECONOMY_EN in titles, titles
    assert page.get_by_role("status").inner_text() != everything
    for date in page.locator("main ul.cards > li > time").all():
        assert date.get_attribute("datetime").startswith("2022"), date.get_attribute("datetime")


def test_a_filter_that_matches_nothing_says_so(page):
    page.goto("/en/policies/?jurisdiction=AU&year=2021")

    expect(page.get_by_role("status")).to_have_text("0 documents")
    expect(page.get_by_text("No published policy document matches these filters.")).to_be_visible()


def test_bioeconomy_plan_shows_its_issuer_and_what_it_says_about_cell_therapy(page):
    page.goto("/en/policies/?jurisdiction=CN&year=2022")

    page.get_by_role("link", name=BIOECONOMY_EN).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(BIOECONOMY_EN)
    expect(page.locator("p.alt-title[lang=zh-Hans]")).to_contain_text("生物经济发展规划")
    issued_by = page.locator("dl.facts dt", has_text="Issued by").locator("xpath=following-sibling::dd[1]")
    expect(issued_by).to_contain_text("National Development and Reform Commission")
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"cell therap", re.IGNORECASE))
    expect(page.locator("#provisions-heading")).to_be_visible()


def test_bioeconomy_plan_in_chinese(chinese_page):
    page = chinese_page
    page.goto("/zh-hans/policies/?jurisdiction=CN&year=2022")

    page.get_by_role("link", name=re.compile("生物经济发展规划")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("生物经济发展规划")
    expect(page.locator("dl.facts")).to_contain_text("国家发展和改革委员会")
    expect(page.get_by_role("main")).to_contain_text("细胞治疗")
