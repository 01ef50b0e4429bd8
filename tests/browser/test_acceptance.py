"""The questions issue #3 says a visitor can answer from the site alone, in either language."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The regulators the acceptance question names, as the home page labels them in each language.
REGULATORS = {
    "en": ["FDA", "EMA / EC", "NMPA", "MHLW / PMDA", "MFDS"],
    "zh-hans": ["FDA", "EMA / 欧盟委员会", "国家药监局", "厚生劳动省 / PMDA", "韩国食药处"],
}

# Knee osteoarthritis: only Cartistem (MFDS) is approved for it. MACI and Spherox repair focal
# cartilage defects of the knee, a different condition (audit 2026-12, section 1, rows 2, 3, 5).
KNEE_OA_APPROVALS = {"en": {"Cartistem": "MFDS"}, "zh-hans": {"Cartistem": "韩国食药处"}}
CARTILAGE_DEFECT_PRODUCTS = ["MACI", "Spherox"]


def approval_row(page, product):
    table = page.locator("section:has(#approved-heading) table tbody")
    return table.locator("tr", has=page.get_by_role("link", name=product, exact=True))


def test_knee_osteoarthritis_page_says_which_therapies_are_approved_and_where(page):
    page.goto("/en/conditions/knee-osteoarthritis/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Knee osteoarthritis")
    expect(page.locator(".verdict")).to_contain_text(re.compile(r"^Approved in: MFDS\."))
    for product, regulator in KNEE_OA_APPROVALS["en"].items():
        expect(approval_row(page, product)).to_contain_text(regulator)
    for product in CARTILAGE_DEFECT_PRODUCTS:
        expect(approval_row(page, product)).to_have_count(0)
    expect(page.locator("#investigational-heading")).to_be_visible()


def test_cartilage_defect_page_lists_the_cartilage_repair_products(page):
    page.goto("/en/conditions/knee-cartilage-defect/")

    expect(page.locator(".verdict")).to_contain_text(re.compile(r"^Approved in: "))
    for product in CARTILAGE_DEFECT_PRODUCTS:
        expect(page.locator("main").get_by_role("link", name=product, exact=True).first).to_be_visible()


def test_knee_osteoarthritis_page_in_chinese(chinese_page):
    page = chinese_page
    page.goto("/zh-hans/conditions/knee-osteoarthritis/")

    expect(page.get_by_role("heading", level=1)).to_have_text("膝骨关节炎")
    expect(page.locator(".verdict")).to_contain_text(re.compile(r"^已获批"))
    for product, regulator in KNEE_OA_APPROVALS["zh-hans"].items():
        expect(approval_row(page, product)).to_contain_text(regulator)
    expect(page.locator(".prose")).to_contain_text("干细胞")


@pytest.mark.parametrize(
    ("slug", "symbol", "role_words"),
    [
        ("igf1", "IGF1", r"surviv|grow"),
        ("tgfb1", "TGFB1", r"immune|cartilage"),
        ("vegfa", "VEGFA", r"blood vessel|angiogen"),
    ],
)
def test_growth_factor_pages_explain_their_role_in_stem_cell_repair(page, slug, symbol, role_words):
    page.goto(f"/en/molecules/{slug}/")

    expect(page.get_by_role("heading", level=1)).to_contain_text(symbol)
    expect(page.locator("article .prose")).to_contain_text(re.compile(role_words, re.IGNORECASE))
    mechanisms = page.locator("section:has(#mechanisms-heading)")
    expect(mechanisms.get_by_role("link", name="Paracrine signalling")).to_be_visible()


@pytest.mark.parametrize(("slug", "name_zh"), [("igf1", "胰岛素样生长因子1"), ("tgfb1", "转化生长因子β1"),
                                              ("vegfa", "血管内皮生长因子A")])
def test_growth_factor_pages_in_chinese(chinese_page, slug, name_zh):
    chinese_page.goto(f"/zh-hans/molecules/{slug}/")

    expect(chinese_page.get_by_role("heading", level=1)).to_contain_text(name_zh)
    mechanisms = chinese_page.locator("section:has(#mechanisms-heading)")
    expect(mechanisms.get_by_role("link", name="旁分泌信号")).to_be_visible()
    explanation = chinese_page.locator("article .prose").inner_text()
    assert len(re.findall(r"[\u4e00-\u9fff]", explanation)) >= 30, explanation


@pytest.mark.parametrize("lang", REGULATORS)
def test_home_counts_approved_products_per_regulator(page, lang):
    page.goto(f"/{lang}/")

    table = page.locator("section:has(#approved-heading) table")
    for regulator in REGULATORS[lang]:
        count = table.locator("tr", has=page.locator("th", has_text=regulator)).locator("td")
        expect(count).to_have_text(re.compile(r"^[1-9]\d*$"))


def test_home_chart_shows_approvals_per_year_with_a_table_fallback(page):
    page.goto("/en/")

    chart = page.locator("section:has(#chart-heading)")
    expect(chart.locator("svg")).to_be_visible()
    chart.locator("summary").click()
    rows = chart.locator("details table tbody tr")
    expect(rows.first).to_be_visible()
    years = [int(text) for text in rows.locator("th").all_inner_texts()]
    assert years == sorted(years) and years[0] <= 2012 and years[-1] >= 2024, years
    headers = chart.locator("details table thead th").all_inner_texts()
    assert "NMPA" in headers and "FDA" in headers, headers
