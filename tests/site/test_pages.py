"""Every public page renders in both languages, with the head every page needs."""

import re

import pytest

LANGUAGES = ["en", "zh-hans"]
PAGES = [
    "/", "/about/", "/search/", "/search/?q=stem", "/categories/", "/categories/stem-cell-therapy/",
    "/categories/msc/", "/therapies/", "/therapies/cartistem/", "/mechanisms/", "/mechanisms/paracrine-signalling/",
    "/molecules/", "/molecules/igf1/", "/conditions/", "/conditions/knee-osteoarthritis/", "/policies/",
    "/policies/?view=timeline", "/policies/bioeconomy-plan/", "/authorities/", "/authorities/ndrc/",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_head_and_landmarks(client, world, language, path):
    response = client.get(f"/{language}{path}")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>[^<]+</title>", html)
    assert '<meta name="description" content="' in html
    assert f'<link rel="canonical" href="http://testserver/{language}{path.split("?")[0]}">' in html
    assert '<meta property="og:title"' in html and '<meta property="og:url"' in html
    assert 'hreflang="en"' in html and 'hreflang="zh-Hans"' in html and 'hreflang="x-default"' in html
    assert html.count('type="application/atom+xml"') >= 2
    assert "<main" in html and '<form class="site-search" role="search"' in html
    assert html.count("<h1") == 1


def test_root_redirects_by_browser_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_root_redirects_english_readers_to_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


def test_chinese_page_shows_chinese_content_and_lang(client, world):
    html = client.get("/zh-hans/therapies/cartistem/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "用于膝关节软骨缺损的异体脐带血干细胞。" in html


def test_chinese_page_falls_back_to_english_when_translation_missing(client, world):
    world["paracrine"].summary_zh_hans = ""
    world["paracrine"].save()
    html = client.get("/zh-hans/mechanisms/paracrine-signalling/").content.decode()
    assert "Cells release growth factors that help tissue repair." in html


def test_language_switch_stays_on_the_same_object(client, world):
    html = client.get("/en/therapies/cartistem/").content.decode()
    switch = re.search(r'<nav class="language-switch" aria-label="[^"]+">(.*?)</nav>', html, re.S).group(1)
    assert 'href="/zh-hans/therapies/cartistem/"' in switch


def test_language_switch_keeps_the_filters(client, world):
    html = client.get("/en/policies/?jurisdiction=CN").content.decode()
    assert 'href="/zh-hans/policies/?jurisdiction=CN"' in html


def test_ui_strings_are_translated(client, world):
    html = client.get("/zh-hans/").content.decode()
    assert "细胞治疗门户" in html
    assert "什么是细胞治疗" in html


def test_home_shows_families_figures_chart_and_latest(client, world):
    html = client.get("/en/").content.decode()
    assert 'href="/en/categories/stem-cell-therapy/"' in html and 'href="/en/categories/msc/"' in html
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert "<summary>" in html  # the table fallback of the chart
    assert 'href="/en/therapies/cartistem/"' in html
    assert 'href="/en/policies/bioeconomy-plan/"' in html


def test_home_counts_products_with_an_approval_in_force(client, world):
    html = client.get("/en/").content.decode()
    # Cartistem: MFDS in force, EMA withdrawn. The draft product's NMPA approval is not public.
    assert re.search(r"MFDS</th><td>1</td>", html)
    assert "NMPA</th><td>" not in html
    assert "EMA</th><td>" not in html


def test_therapy_page_shows_partial_dates_withdrawal_and_molecules(client, world):
    html = client.get("/en/therapies/cartistem/").content.decode()
    assert '<time datetime="2012-01">2012-01</time>' in html
    assert '<time datetime="2015">2015 Q2</time>' in html
    assert '<time datetime="2019">2019</time>' in html
    assert "badge-withdrawn" in html
    assert 'href="/en/mechanisms/paracrine-signalling/"' in html and "Secretes growth factors." in html
    assert 'href="/en/molecules/igf1/"' in html
    assert "Facts checked" in html and '<time datetime="2024-06">2024-06</time>' in html
    assert '"@type": "MedicalTherapy"' in html


def test_molecule_page_links_out_to_identifier_databases(client, world):
    html = client.get("/en/molecules/igf1/").content.decode()
    assert "https://www.uniprot.org/uniprotkb/P05019/entry" in html
    assert "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC%3A5464" in html
    assert "https://www.ncbi.nlm.nih.gov/gene/3479" in html


def test_condition_page_separates_approved_from_investigational(client, world):
    html = client.get("/en/conditions/knee-osteoarthritis/").content.decode()
    approved, investigational = html.split('id="investigational-heading"')
    assert "Cartistem" in approved and ">MFDS</a>" in approved
    assert "Knee stem cell injection" in investigational and "Not approved for this condition" in investigational
    assert "verdict-yes" in html


def test_condition_without_approval_says_no(client, world):
    from tests.factories import ConditionFactory

    ConditionFactory(name_en="Parkinson disease", slug="parkinson")
    html = client.get("/en/conditions/parkinson/").content.decode()
    assert "verdict-no" in html


def test_policy_page_shows_titles_number_authorities_provisions_and_chain(client, world):
    html = client.get("/en/policies/bioeconomy-plan/").content.decode()
    assert "14th Five-Year Plan for Bioeconomy Development" in html
    assert "“十四五”生物经济发展规划" in html
    assert "发改高技〔2021〕1850号" in html
    assert 'href="/en/authorities/ndrc/"' in html
    assert "Supports research on stem cells." in html
    assert 'href="/en/policies/old-plan/"' in html
    assert 'href="https://example.org/plan"' in html
    assert '"@type": "Legislation"' in html
    assert 'media="print"' in html


def test_older_policy_links_to_the_newer_one(client, world):
    html = client.get("/en/policies/old-plan/").content.decode()
    assert 'href="/en/policies/bioeconomy-plan/"' in html


def test_policy_facets_filter_by_jurisdiction_and_year(client, world):
    from tests.factories import AuthorityFactory, PolicyDocumentFactory

    fda = AuthorityFactory(name_en="Food and Drug Administration", jurisdiction="US")
    PolicyDocumentFactory(title_en="US guidance on potency", authorities=[fda])
    html = client.get("/en/policies/?jurisdiction=CN&year=2021").content.decode()
    assert "14th Five-Year Plan" in html
    assert "Earlier bioeconomy plan" not in html
    assert "US guidance on potency" not in html


def test_policy_facet_form_has_labelled_selects(client, world):
    html = client.get("/en/policies/").content.decode()
    for name in ("jurisdiction", "authority", "type", "status", "year"):
        assert f'<label for="id_{name}">' in html
        assert f'<select name="{name}" id="id_{name}">' in html


def test_policy_timeline_groups_by_year(client, world):
    html = client.get("/en/policies/?view=timeline").content.decode()
    assert '<h2 class="timeline-year">2021</h2>' in html
    assert '<h2 class="timeline-year">2012</h2>' in html


def test_authority_page_lists_its_documents(client, world):
    html = client.get("/en/authorities/ndrc/").content.decode()
    assert 'href="/en/policies/bioeconomy-plan/"' in html


def test_category_page_lists_therapies_of_subcategories_and_related_policies(client, world):
    html = client.get("/en/categories/stem-cell-therapy/").content.decode()
    assert 'href="/en/therapies/cartistem/"' in html
    assert 'href="/en/categories/msc/"' in html
    assert 'href="/en/mechanisms/paracrine-signalling/"' in html
    assert 'href="/en/policies/bioeconomy-plan/"' in html


def test_about_page_has_methodology_sections(client, world):
    html = client.get("/en/about/").content.decode()
    assert 'id="sources-heading"' in html and 'id="cite-heading"' in html and 'id="update-heading"' in html


def test_not_found_page_is_friendly_and_translated(client, db):
    response = client.get("/zh-hans/therapies/does-not-exist/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_sitemap_lists_both_languages_with_alternates(client, world):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-therapy.xml" in index
    section = client.get("/sitemap-therapy.xml").content.decode()
    assert "http://testserver/en/therapies/cartistem/" in section
    assert "http://testserver/zh-hans/therapies/cartistem/" in section
    assert 'hreflang="zh-hans"' in section


def test_feeds_are_atom(client, world):
    for path in ("/en/feeds/policies/", "/en/feeds/approvals/"):
        response = client.get(path)
        assert response["Content-Type"].startswith("application/atom+xml")
    approvals = client.get("/en/feeds/approvals/").content.decode()
    assert "Cartistem" in approvals and "/en/therapies/cartistem/#approval-" in approvals


def test_pages_have_no_inline_scripts_or_styles(client, world):
    for path in ("/en/", "/en/therapies/cartistem/", "/en/policies/bioeconomy-plan/", "/en/search/?q=stem"):
        html = client.get(path).content.decode()
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*application/ld\+json)", html)


def test_feed_summaries_are_escaped_html(client, world):
    world["plan"].summary_en = "Plan <img src=x onerror=alert(1)> & more"
    world["plan"].save()
    feed = client.get("/en/feeds/policies/").content.decode()
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt; &amp;amp; more" in feed


def test_condition_page_lists_withdrawn_products_apart(client, world):
    from tests.factories import ApprovalFactory, TherapyFactory

    withdrawn = TherapyFactory(name_en="ChondroCelect", category=world["child"])
    ApprovalFactory(therapy=withdrawn, agency="ema", condition=world["knee"],
                    withdrawn_on=world["cartistem"].approvals.first().decided_on.replace(year=2016))
    html = client.get("/en/conditions/knee-osteoarthritis/").content.decode()
    withdrawn_part = html.split('id="withdrawn-heading"')[1].split('id="investigational-heading"')[0]
    assert "ChondroCelect" in withdrawn_part
    assert "ChondroCelect" not in html.split('id="investigational-heading"')[1]


def test_robots_txt_does_not_advertise_the_admin(client, db, settings):
    assert settings.ADMIN_URL not in client.get("/robots.txt").content.decode()
