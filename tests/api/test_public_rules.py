"""Drafts never leak through relations, search or the feeds; approvals, search, feeds, limits."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


# --- drafts inside published objects ------------------------------------------------------
def test_draft_mechanism_is_invisible_in_a_published_therapy(api):
    therapy = f.TherapyFactory()
    f.TherapyMechanismFactory(therapy=therapy, mechanism__status="draft")
    shown = f.TherapyMechanismFactory(therapy=therapy)
    body = api.get(f"/api/v1/therapies/{therapy.slug}/").json()
    assert [link["mechanism"]["slug"] for link in body["mechanisms"]] == [shown.mechanism.slug]


def test_editor_sees_the_draft_mechanism_of_a_therapy(editor_api):
    link = f.TherapyMechanismFactory(mechanism__status="draft")
    body = editor_api.get(f"/api/v1/therapies/{link.therapy.slug}/").json()
    assert [item["mechanism"]["slug"] for item in body["mechanisms"]] == [link.mechanism.slug]


def test_draft_relations_are_invisible_everywhere_in_a_therapy(api):
    therapy = f.TherapyFactory(category__status="draft")
    therapy.conditions.add(f.ConditionFactory(status="draft"))
    therapy.target_molecules.add(f.MoleculeFactory(status="draft"))
    therapy.references.add(f.ReferenceFactory(status="draft"))
    f.ApprovalFactory(therapy=therapy, condition__status="draft")
    body = api.get(f"/api/v1/therapies/{therapy.slug}/").json()
    assert body["category"] is None
    assert body["conditions"] == body["target_molecules"] == body["references"] == []
    assert body["approvals"][0]["condition"] is None


def test_draft_policy_is_invisible_in_its_authority_and_supersession(api):
    authority = f.AuthorityFactory()
    draft = f.PolicyDocumentFactory(status="draft", authorities=[authority])
    policy = f.PolicyDocumentFactory(authorities=[authority], supersedes=draft)
    assert api.get(f"/api/v1/authorities/{authority.slug}/").json()["documents"] == [
        {"slug": policy.slug, "title": policy.title, "url": f"http://testserver/api/v1/policies/{policy.slug}/"}
    ]
    assert api.get(f"/api/v1/policies/{policy.slug}/").json()["supersedes"] is None


def test_filter_by_a_draft_slug_matches_nothing(api):
    condition = f.ConditionFactory(status="draft")
    f.TherapyFactory().conditions.add(condition)
    assert api.get("/api/v1/therapies/", {"condition": condition.slug}).json()["count"] == 0


def test_draft_is_not_found_by_search(api):
    f.TherapyFactory(name_en="Secretcel", status="draft")
    assert api.get("/api/v1/search/", {"q": "Secretcel"}).json()["count"] == 0
    assert api.get("/api/v1/therapies/", {"search": "Secretcel"}).json()["count"] == 0


# --- therapy and policy detail contents ---------------------------------------------------
@pytest.mark.parametrize(("day", "precision", "expected"), [
    (datetime.date(2017, 8, 30), "day", "2017-08-30"),
    (datetime.date(2021, 9, 1), "month", "2021-09"),
    (datetime.date(2021, 7, 1), "quarter", "2021-07"),
    (datetime.date(2012, 1, 1), "year", "2012"),
])
def test_approval_date_is_cut_to_its_precision(api, day, precision, expected):
    approval = f.ApprovalFactory(decided_on=day, decided_on_precision=precision, agency="ema")
    item = api.get(f"/api/v1/therapies/{approval.therapy.slug}/").json()["approvals"][0]
    assert (item["decided_on"], item["decided_on_precision"]) == (expected, precision)
    assert (item["regulator"]["slug"], item["jurisdiction"]) == ("ema", "EU")


def test_therapy_detail_has_markdown_source_and_sanitised_html(api):
    therapy = f.TherapyFactory(body_en="**Bold** <script>alert(1)</script>")
    body = api.get(f"/api/v1/therapies/{therapy.slug}/").json()
    assert body["body"].startswith("**Bold**")
    assert "<strong>Bold</strong>" in body["body_html"]
    assert "<script>" not in body["body_html"]


def test_policy_shows_editorial_and_legal_status(api):
    policy = f.PolicyDocumentFactory(legal_status="superseded")
    f.KeyProvisionFactory(policy=policy, heading_en="Scope")
    body = api.get(f"/api/v1/policies/{policy.slug}/").json()
    assert (body["status"], body["legal_status"]) == ("published", "superseded")
    assert body["provisions"][0]["heading"] == "Scope"


def test_category_parent_empty_lists_roots(api):
    root = f.TherapyCategoryFactory()
    f.TherapyCategoryFactory(parent=root)
    response = api.get("/api/v1/categories/?parent=")
    assert [item["slug"] for item in response.json()["results"]] == [root.slug]


@pytest.mark.parametrize(("param", "value"), [
    ("issued_after", "notadate"), ("status", "secret"), ("kind", "pill"), ("brief", "yes"), ("format", "xml"),
])
def test_invalid_values_are_400_naming_the_parameter(api, param, value):
    url = "/api/v1/therapies/" if param == "kind" else "/api/v1/policies/"
    response = api.get(url, {param: value})
    assert response.status_code == 400
    assert param in response.json()


# --- search -----------------------------------------------------------------------------
def test_search_finds_inflections_across_types(api):
    therapy = f.TherapyFactory(name_en="Stem cell therapy for knees")
    policy = f.PolicyDocumentFactory(title_en="Rules on stem cell therapies")
    body = api.get("/api/v1/search/", {"q": "therapies", "type": "therapy,policy"}).json()
    found = {(hit["type"], hit["slug"]) for hit in body["results"]}
    assert {("therapy", therapy.slug), ("policy", policy.slug)} <= found
    hit = body["results"][0]
    assert set(hit) == {"type", "slug", "title", "snippet", "score", "url", "web_url"}
    assert hit["url"].startswith("http://testserver/api/v1/")


@pytest.mark.parametrize("query", ["干细胞", "骨关节炎", "生物经济"])
def test_search_in_chinese(api, query):
    therapy = f.TherapyFactory(name_zh_hans=f"{query}疗法")
    body = api.get("/api/v1/search/", {"q": query, "lang": "zh-hans"}).json()
    assert therapy.slug in [hit["slug"] for hit in body["results"]]


def test_search_type_filter_and_unknown_type(api):
    f.TherapyFactory(name_en="Chondrocyte implant")
    f.ConditionFactory(name_en="Chondrocyte damage")
    body = api.get("/api/v1/search/", {"q": "chondrocyte", "type": "condition"}).json()
    assert {hit["type"] for hit in body["results"]} == {"condition"}
    response = api.get("/api/v1/search/", {"q": "chondrocyte", "type": "gene"})
    assert response.status_code == 400
    assert "type" in response.json()


def test_search_needs_a_query_and_pages(api):
    assert "q" in api.get("/api/v1/search/").json()
    f.TherapyFactory.create_batch(3, name_en="Islet cell graft")
    body = api.get("/api/v1/search/", {"q": "islet", "type": "therapy", "page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    assert api.get("/api/v1/search/", {"q": "islet", "page": 9}).status_code == 404


# --- history and change feed ---------------------------------------------------------------
def save_as(obj, user, **changes):
    import reversion

    for name, value in changes.items():
        setattr(obj, name, value)
    with reversion.create_revision():
        obj.save()
        reversion.set_user(user)


def test_history_lists_published_revisions_only_for_the_public(api, editor):
    therapy = f.TherapyFactory(status="draft")
    save_as(therapy, editor, summary_en="First draft")
    save_as(therapy, editor, status="published")
    save_as(therapy, editor, summary_en="Corrected")
    body = api.get(f"/api/v1/therapies/{therapy.slug}/history/").json()
    assert body["count"] == 2
    assert [entry["status"] for entry in body["results"]] == ["published", "published"]
    assert body["results"][1]["changed_fields"] == ["summary_en"]
    assert "editor" not in str(body)


def test_history_shows_drafts_to_editors(editor_api, editor):
    therapy = f.TherapyFactory(status="draft")
    save_as(therapy, editor, summary_en="Draft")
    save_as(therapy, editor, status="published")
    body = editor_api.get(f"/api/v1/therapies/{therapy.slug}/history/").json()
    assert [entry["status"] for entry in body["results"]] == ["draft", "published"]


def test_change_feed_reports_publication_changes_and_withdrawal(api, publisher):
    before = timezone.now()
    hidden = f.ConditionFactory(status="draft")
    save_as(hidden, publisher, name_en="Never public")
    therapy = f.TherapyFactory(status="draft")
    save_as(therapy, publisher, status="published")
    save_as(therapy, publisher, summary_en="Updated")
    save_as(therapy, publisher, status="archived")
    body = api.get("/api/v1/changes/", {"since": before.isoformat()}).json()
    assert [(item["type"], item["slug"], item["action"]) for item in body["results"]] == [
        ("therapy", therapy.slug, "published"),
        ("therapy", therapy.slug, "changed"),
        ("therapy", therapy.slug, "unpublished"),
    ]
    assert body["results"][0]["url"] == f"http://testserver/api/v1/therapies/{therapy.slug}/"


def test_change_feed_knows_what_was_public_before_since(api, publisher):
    therapy = f.TherapyFactory(status="draft")
    save_as(therapy, publisher, status="published")
    since = timezone.now()
    save_as(therapy, publisher, summary_en="Later edit")
    body = api.get("/api/v1/changes/", {"since": since.isoformat()}).json()
    assert [item["action"] for item in body["results"]] == ["changed"]


@pytest.mark.parametrize("since", ["yesterday", "0001-01-01T00:10:00+23:00"])
def test_change_feed_rejects_a_bad_since(api, since):
    response = api.get("/api/v1/changes/", {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()


def test_change_feed_accepts_any_valid_offset(api):
    assert api.get("/api/v1/changes/", {"since": "0500-04-10T23:20:28-22:31"}).status_code == 200


def test_change_feed_query_count_is_fixed(api, publisher, django_assert_max_num_queries):
    for therapy in f.TherapyFactory.create_batch(10, status="draft"):
        save_as(therapy, publisher, status="published")
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/changes/", {"since": "2000-01-01"}).json()["count"] == 10


# --- root, schema, docs, limits, CORS -----------------------------------------------------
def test_root_lists_every_resource(api):
    body = api.get("/api/v1/").json()
    assert set(body["resources"]) == {
        "categories", "therapies", "conditions", "mechanisms", "molecules", "approvals", "policies", "authorities",
        "references",
    }
    assert body["endpoints"]["search"] == "http://testserver/api/v1/search/"


def test_schema_and_docs_render_without_a_cdn(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/therapies/{slug}/history/" in schema.content
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content
    assert b"/static/drf_spectacular_sidecar/" in docs.content
    # The Swagger UI start-up script is a separate file, so the page needs no inline script.
    script = api.get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content


def test_browsable_api_renders(api):
    therapy = f.TherapyFactory()
    response = api.get(f"/api/v1/therapies/{therapy.slug}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert therapy.name_en.encode() in response.content


def test_anonymous_throttle_says_when_to_retry(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/min"}}
    # Distinct URLs: an anonymous repeat of the same URL may be answered by the page cache.
    api.get("/api/v1/")
    api.get("/api/v1/therapies/")
    response = api.get("/api/v1/conditions/")
    assert response.status_code == 429
    assert response.json()["retry_after"] > 0
    assert int(response["Retry-After"]) > 0


def test_a_limit_set_to_off_is_not_enforced(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "off"}}
    statuses = {api.get(path).status_code for path in ("/api/v1/", "/api/v1/therapies/", "/api/v1/conditions/")}
    assert statuses == {200}


def test_anonymous_readers_are_not_also_held_to_the_editor_limit(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "off", "user": "1/min"}}
    statuses = {api.get(path).status_code for path in ("/api/v1/", "/api/v1/therapies/", "/api/v1/conditions/")}
    assert statuses == {200}


def test_cors_allows_reads_from_other_origins(api):
    response = api.get("/api/v1/", HTTP_ORIGIN="https://dashboard.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_does_not_offer_writes(api):
    response = api.options("/api/v1/therapies/", HTTP_ORIGIN="https://dashboard.example.org",
                           HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "POST" not in response.get("Access-Control-Allow-Methods", "")


def test_drafts_stay_out_of_a_policys_relations_loaded_in_one_query(api):
    policy = f.PolicyDocumentFactory()
    newer = f.PolicyDocumentFactory(supersedes=policy, title_en="Newer rules")
    f.PolicyDocumentFactory(supersedes=policy, status="draft")
    category = f.TherapyCategoryFactory(name_en="Stem cells")
    policy.categories.add(category, f.TherapyCategoryFactory(status="draft"))
    therapy = f.TherapyFactory()
    policy.therapies.add(therapy, f.TherapyFactory(status="in_review"))
    reference = f.ReferenceFactory()
    policy.references.add(reference, f.ReferenceFactory(status="draft"))
    body = api.get(f"/api/v1/policies/{policy.slug}/").json()
    assert [item["slug"] for item in body["superseded_by"]] == [newer.slug]
    assert body["categories"] == [{"slug": category.slug, "name": "Stem cells",
                                   "url": f"http://testserver/api/v1/categories/{category.slug}/"}]
    assert [item["slug"] for item in body["therapies"]] == [therapy.slug]
    assert [item["slug"] for item in body["references"]] == [reference.slug]


def test_staff_see_draft_relations_of_a_policy(editor_api):
    policy = f.PolicyDocumentFactory()
    draft = f.TherapyCategoryFactory(status="draft")
    policy.categories.add(draft)
    body = editor_api.get(f"/api/v1/policies/{policy.slug}/").json()
    assert [item["slug"] for item in body["categories"]] == [draft.slug]


@pytest.mark.parametrize(("doi", "pmid", "expected"), [
    ("10.1186/s13287-025-04343-0", "", "https://doi.org/10.1186/s13287-025-04343-0"),
    ("", "12345678", "https://pubmed.ncbi.nlm.nih.gov/12345678/"),
    ("", "", "https://example.org/source/report"),
])
def test_reference_web_url_is_its_source(api, doi, pmid, expected):
    """A reference has no page of its own on the site: its `web_url` is where it can be read."""
    reference = f.ReferenceFactory(doi=doi, pmid=pmid, url="https://example.org/source/report")
    for body in (api.get(f"/api/v1/references/{reference.slug}/").json(),
                 api.get("/api/v1/references/").json()["results"][0]):
        assert body["web_url"] == body["link"] == expected


def test_search_filter_matches_words_in_any_form_and_language_through_the_index(api):
    match = f.ConditionFactory(name_en="Knee osteoarthritis", name_zh_hans="膝骨关节炎",
                               description_en="Cartilage wears away.")
    f.ConditionFactory(name_en="Other disease", description_en="Unrelated.")
    for value in ("cartilages", "KNEE", "骨关节炎"):
        body = api.get("/api/v1/conditions/", {"search": value}).json()
        assert [item["slug"] for item in body["results"]] == [match.slug], value


def test_search_filter_never_finds_a_draft_for_the_public(api):
    f.ConditionFactory(name_en="Organoid failure", status="draft")
    assert api.get("/api/v1/conditions/", {"search": "organoid"}).json()["count"] == 0


def test_search_filter_finds_drafts_by_substring_for_an_editor(editor_api):
    draft = f.ConditionFactory(name_en="Organoid failure", status="draft")
    body = editor_api.get("/api/v1/conditions/", {"search": "organo"}).json()
    assert [item["slug"] for item in body["results"]] == [draft.slug]


def test_search_filter_without_searchable_words_matches_substrings(api):
    reference = f.ReferenceFactory(title="The A-B test")  # references are not indexed
    condition = f.ConditionFactory(name_en="The disease")
    assert api.get("/api/v1/references/", {"search": "A-B"}).json()["results"][0]["slug"] == reference.slug
    assert [item["slug"] for item in api.get("/api/v1/conditions/", {"search": "the"}).json()["results"]] == [
        condition.slug]


def test_an_approval_has_a_public_history_and_is_in_the_change_feed(api, publisher):
    import reversion

    from tests.factories import ApprovalFactory

    with reversion.create_revision():
        approval = ApprovalFactory(therapy__status="draft")
        reversion.add_to_revision(approval.therapy)
    assert api.get(f"/api/v1/approvals/{approval.slug}/").status_code == 404
    assert approval.slug not in [change["slug"] for change in api.get("/api/v1/changes/").json()["results"]]
    approval.therapy.transition("published", by=publisher)
    history = api.get(f"/api/v1/approvals/{approval.slug}/history/").json()["results"]
    assert [entry["status"] for entry in history] == ["published"]
    changes = [(change["type"], change["action"]) for change in api.get("/api/v1/changes/").json()["results"]
               if change["slug"] == approval.slug]
    assert changes == [("approval", "published")]
