"""What a reader sees of approvals: per indication with status and events, a product's own
molecules, safety labelling, regulators as data, editors' notes kept private."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    ApprovalEventFactory,
    ApprovalFactory,
    ConditionFactory,
    MechanismFactory,
    MechanismMoleculeFactory,
    MoleculeFactory,
    TherapyCategoryFactory,
    TherapyFactory,
    TherapyMechanismFactory,
    TherapyNameFactory,
)

pytestmark = pytest.mark.django_db


def test_a_product_page_lists_only_its_own_molecules(client):
    killing = MechanismFactory(slug="targeted-cytotoxicity")
    for symbol in ("CD19", "BCMA", "MAGEA4", "CLDN18"):
        MechanismMoleculeFactory(mechanism=killing, molecule=MoleculeFactory(symbol=symbol, slug=symbol.lower()))
    kymriah = TherapyFactory(slug="kymriah")
    link = TherapyMechanismFactory(therapy=kymriah, mechanism=killing)
    link.molecules.add(MoleculeFactory(symbol="CD19X", slug="cd19x"), MoleculeFactory(symbol="TNFRSF9", slug="tnfrsf9"))
    html = client.get("/en/therapies/kymriah/").content.decode()
    assert 'href="/en/molecules/cd19x/"' in html and 'href="/en/molecules/tnfrsf9/"' in html
    for other in ("bcma", "magea4", "cldn18"):
        assert f'href="/en/molecules/{other}/"' not in html


def test_a_lapsed_approval_never_reads_as_approved(client):
    heartsheet = TherapyFactory(slug="heartsheet", name_en="HeartSheet")
    approval = ApprovalFactory(therapy=heartsheet, agency="pmda", pathway="conditional_time_limited")
    ApprovalEventFactory(approval=approval, kind="lapsed", date=datetime.date(2024, 7, 1), date_precision="month",
                         details_en="The conditional period ended without full approval.")
    page = client.get("/en/therapies/heartsheet/").content.decode()
    assert "Approved:" not in page and "badge-approved" not in page
    assert "Lapsed" in page and '<time datetime="2024-07">2024-07</time>' in page
    assert "No longer approved" in page  # the stage its approvals give it
    home = client.get("/en/").content.decode()
    assert "PMDA</th><td>" not in home


def test_safety_labelling_is_listed_dated_and_cited(client):
    approval = ApprovalFactory(therapy=TherapyFactory(slug="abecma"))
    ApprovalEventFactory(approval=approval, kind="boxed_warning_added", date=datetime.date(2024, 4, 18),
                         date_precision="day", details_en="T-cell malignancies.")
    ApprovalEventFactory(approval=approval, kind="rems_removed", date=datetime.date(2025, 6, 26), date_precision="day")
    html = client.get("/en/therapies/abecma/").content.decode()
    safety = html.split('id="safety-heading"')[1].split("</section>")[0]
    assert "Boxed warning added" in safety and "T-cell malignancies." in safety and "REMS removed" in safety
    assert '<time datetime="2024-04-18">' in safety and safety.count(">source</a>") == 2


def test_other_names_and_the_chinese_generic_name_show_and_are_searchable(client):
    therapy = TherapyFactory(slug="yikaida", name_zh_hans="奕凯达", generic_name_en="axicabtagene ciloleucel",
                             generic_name_zh_hans="阿基仑赛注射液")
    TherapyNameFactory(therapy=therapy, name="FKC876")
    assert "FKC876" in client.get("/en/therapies/yikaida/").content.decode()
    assert "阿基仑赛注射液" in client.get("/zh-hans/therapies/yikaida/").content.decode()
    found = client.get("/api/v1/therapies/", {"search": "FKC876"}).json()["results"]
    assert [item["slug"] for item in found] == ["yikaida"]


def test_editors_notes_and_unknown_facts_stay_private(client):
    therapy = TherapyFactory(slug="nepic", internal_note="Indication day not yet verified.", last_reviewed_on=None)
    ApprovalFactory(therapy=therapy, pathway="", internal_note="Pathway unconfirmed.")
    html = client.get("/en/therapies/nepic/").content.decode()
    api = client.get("/api/v1/therapies/nepic/").content.decode()
    approvals = client.get("/api/v1/approvals/", {"therapy": "nepic"}).content.decode()
    for text in (html, api, approvals):
        assert "not yet verified" not in text and "unconfirmed" not in text
    assert "not recorded" in html  # the pathway, and when the facts were checked


def test_a_regulator_added_in_the_admin_shows_on_the_site_and_in_the_api(publisher_client, client):
    response = publisher_client.post(reverse("admin:policies_authority_add"), {
        "name_en": "Central Drugs Standard Control Organisation", "name_zh_hans": "印度中央药品标准控制组织",
        "abbreviation_en": "CDSCO", "abbreviation_zh_hans": "CDSCO", "jurisdiction": "IN", "level": "national",
        "is_regulator": "on", "status": "published", "slug": "cdsco",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    from policies.models import Authority

    cdsco = Authority.objects.get(slug="cdsco")
    condition = ConditionFactory(slug="b-cell-lymphoma")
    ApprovalFactory(therapy=TherapyFactory(slug="nexcar19", category=TherapyCategoryFactory()), regulator=cdsco,
                    condition=condition, decided_on=datetime.date(2023, 10, 1), decided_on_precision="month")
    page = client.get("/en/authorities/cdsco/").content.decode()
    assert "Decisions on cell therapy products" in page and 'href="/en/therapies/nexcar19/#approval-' in page
    body = client.get("/api/v1/approvals/", {"regulator": "cdsco"}).json()
    assert [(item["therapy"]["slug"], item["jurisdiction"]) for item in body["results"]] == [("nexcar19", "IN")]
    assert client.get("/api/v1/therapies/", {"agency": "cdsco"}).json()["count"] == 1
    assert "CDSCO" in client.get("/en/conditions/b-cell-lymphoma/").content.decode()


def test_the_approvals_api_lists_active_approvals_of_a_condition_and_its_subtree(client):
    lymphoma = ConditionFactory(slug="b-cell-lymphoma")
    lbcl = ConditionFactory(slug="large-b-cell-lymphoma", parent=lymphoma)
    kymriah = ApprovalFactory(therapy=TherapyFactory(slug="kymriah"), condition=lbcl)
    lapsed = ApprovalFactory(therapy=TherapyFactory(slug="old-product"), condition=lbcl)
    ApprovalEventFactory(approval=lapsed, kind="withdrawn", date=datetime.date(2020, 1, 1))
    body = client.get("/api/v1/approvals/", {"condition": "b-cell-lymphoma", "status": "active"}).json()
    assert [item["slug"] for item in body["results"]] == [kymriah.slug]
    item = body["results"][0]
    assert set(item) >= {"therapy", "regulator", "jurisdiction", "condition", "indication_text", "pathway", "status",
                         "decided_on", "decided_on_precision", "events", "references"}
    assert client.get("/api/v1/approvals/", {"status": "approved"}).status_code == 400


def test_a_quarter_is_never_written_as_its_first_month(client):
    therapy = TherapyFactory(slug="quarterly")
    ApprovalFactory(therapy=therapy, decided_on=datetime.date(2025, 7, 1), decided_on_precision="quarter")
    html = client.get("/en/therapies/quarterly/").content.decode()
    assert '<time datetime="2025">2025 Q3</time>' in html and 'datetime="2025-07"' not in html
