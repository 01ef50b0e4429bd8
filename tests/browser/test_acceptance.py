"""The questions issue #3 says a visitor can answer from the site alone, in either language."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The regulators the acceptance question names, as the home page labels them in each language.
REGULATORS = {
    "en": ["FDA (United States)", "EMA / European Commission", "NMPA (China)", "PMDA / MHLW (Japan)",
           "MFDS (South Korea)"],
    "zh-hans": ["FDA（美国）", "EMA / 欧盟委员会", "NMPA（中国）", "PMDA / 厚生劳动省（日本）", "MFDS（韩国）"],
}

# Knee osteoarthritis: product -> the regulator that approved it, per the fact sheet.
KNEE_OA_APPROVALS = {
    "en": {"Cartistem": "MFDS (South Korea)", "MACI": "FDA (United States)", "Spherox": "EMA / European Commission"},
    "zh-hans": {"Cartistem": "MFDS（韩国）", "MACI": "FDA（美国）", "Spherox": "EMA / 欧盟委员会"},
}


def approval_row(page, product):
    table = page.locator("section:has(#approved-heading) table tbody")
    return table.locator("tr", has=page.get_by_role("link", name=product, exact=True))


def test_knee_osteoarthritis_page_says_which_therapies_are_approved_and_where(page):
    page.goto("/en/conditions/knee-osteoarthritis/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Knee osteoarthritis")
    expect(page.locator(".verdict")).to_contain_text(re.compile(r"^Yes\."))
    for product, regulator in KNEE_OA_APPROVALS["en"].items():
        expect(approval_row(page, product)).to_contain_text(regulator)
        expect(page.locator(".verdict")).to_contain_text(regulator)
    expect(page.locator("#investigational-heading")).to_be_visible()


def test_knee_osteoarthritis_page_in_chinese(chinese_page):
    page = chinese_page
    page.goto("/zh-hans/conditions/knee-osteoarthritis/")

    expect(page.get_by_role("heading", level=1)).to_have_text("膝骨关节炎")
    expect(page.locator(".verdict")).to_contain_text(re.compile(r"^有。"))
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
    assert "NMPA (China)" in headers and "FDA (United States)" in headers, headers
