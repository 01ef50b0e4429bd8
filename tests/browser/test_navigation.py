"""A visitor finds their way by clicking: language redirect, the browse journey, the language switch."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import url_path_is

pytestmark = pytest.mark.browser


def test_root_sends_an_english_browser_to_the_english_home(page):
    page.goto("/")

    expect(page).to_have_url(url_path_is("/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_root_sends_a_chinese_browser_to_the_chinese_home(chinese_page):
    chinese_page.goto("/")

    expect(chinese_page).to_have_url(url_path_is("/zh-hans/"))
    expect(chinese_page.locator("html")).to_have_attribute("lang", "zh-Hans")


def test_visitor_clicks_from_home_to_a_molecule(page):
    """Home -> MSC category -> donor MSC therapy -> paracrine signalling -> IGF1, all by links."""
    page.goto("/en/")

    page.locator("#families-heading").locator("..").get_by_role(
        "link", name="Mesenchymal stromal/stem cells (MSC)"
    ).click()
    expect(page).to_have_url(url_path_is("/en/categories/mesenchymal-stem-cells/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mesenchymal stromal/stem cells (MSC)")

    therapies = page.locator("#therapies-heading").locator("..")
    therapies.get_by_role("link", name="Allogeneic mesenchymal stem cells", exact=True).click()
    expect(page).to_have_url(url_path_is("/en/therapies/allogeneic-msc/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Allogeneic mesenchymal stem cells")

    how_it_works = page.locator("#mechanisms-heading").locator("..")
    how_it_works.get_by_role("link", name="Paracrine signalling", exact=True).click()
    expect(page).to_have_url(url_path_is("/en/mechanisms/paracrine-signalling/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Paracrine signalling")

    page.get_by_role("main").get_by_role("link", name=re.compile(r"^IGF1\b")).first.click()
    expect(page).to_have_url(url_path_is("/en/molecules/igf1/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("IGF1")
    uniprot = page.get_by_role("link", name="P05019", exact=True)
    expect(uniprot).to_have_attribute("href", re.compile(r"uniprot\.org/uniprotkb/P05019"))


def test_chinese_visitor_clicks_from_home_to_a_car_t_target(chinese_page):
    """The same journey in Chinese, through the immune family: CAR-T -> Kymriah -> CD19."""
    page = chinese_page
    page.goto("/zh-hans/")

    page.locator("#families-heading").locator("..").get_by_role(
        "link", name="嵌合抗原受体T细胞（CAR-T）治疗"
    ).click()
    expect(page).to_have_url(url_path_is("/zh-hans/categories/car-t/"))

    page.locator("#therapies-heading").locator("..").get_by_role("link", name=re.compile("Kymriah")).click()
    expect(page).to_have_url(url_path_is("/zh-hans/therapies/kymriah/"))

    page.locator("#mechanisms-heading").locator("..").get_by_role("link", name="靶向细胞毒性").click()
    expect(page).to_have_url(url_path_is("/zh-hans/mechanisms/targeted-cytotoxicity/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("靶向细胞毒性")

    page.get_by_role("main").get_by_role("link", name=re.compile(r"^CD19\b")).first.click()
    expect(page).to_have_url(url_path_is("/zh-hans/molecules/cd19/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("CD19")


def test_language_switch_keeps_the_visitor_on_the_same_therapy(page):
    page.goto("/en/therapies/kymriah/")
    english_heading = page.get_by_role("heading", level=1).inner_text()

    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()

    expect(page).to_have_url(url_path_is("/zh-hans/therapies/kymriah/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kymriah")
    expect(page.locator("table.approvals")).to_be_visible()

    page.locator("nav.language-switch").get_by_role("link", name="English").click()

    expect(page).to_have_url(url_path_is("/en/therapies/kymriah/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(english_heading)
