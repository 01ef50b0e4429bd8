"""Drafts and archived items never reach the public; staff may preview them, uncached."""

import pytest

from tests.factories import UserFactory

DRAFT_URLS = {
    "draft_therapy": "/en/therapies/draft-product/",
    "draft_policy": "/en/policies/draft-guideline/",
}


@pytest.mark.parametrize(
    ("key", "prefix"),
    [
        ("draft_category", "categories"), ("draft_condition", "conditions"), ("draft_molecule", "molecules"),
        ("draft_mechanism", "mechanisms"), ("draft_therapy", "therapies"), ("draft_policy", "policies"),
        ("draft_authority", "authorities"),
    ],
)
def test_unpublished_item_is_404_for_the_public(client, world, key, prefix):
    assert client.get(f"/en/{prefix}/{world[key].slug}/").status_code == 404


def test_archived_item_is_404_for_the_public(client, world):
    world["cartistem"].status = "archived"
    world["cartistem"].save()
    assert client.get("/en/therapies/cartistem/").status_code == 404


def test_staff_with_view_permission_previews_a_draft_marked_and_uncached(editor_client, world):
    response = editor_client.get("/en/therapies/draft-product/")
    assert response.status_code == 200
    assert 'class="preview-banner"' in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_published_page_for_staff_has_no_preview_banner(editor_client, world):
    response = editor_client.get("/en/therapies/cartistem/")
    assert "preview-banner" not in response.content.decode()


def test_logged_in_user_without_staff_rights_cannot_preview(client, world):
    client.force_login(UserFactory(username="reader"))
    assert client.get("/en/therapies/draft-product/").status_code == 404


@pytest.mark.parametrize(
    ("path", "hidden"),
    [
        ("/en/therapies/cartistem/", ["SECRET1", "Unreviewed mechanism", "Hidden disease", "draft-product"]),
        ("/en/categories/stem-cell-therapy/", ["Secret category", "Draft product", "Draft guideline"]),
        ("/en/categories/msc/", ["Draft product"]),
        ("/en/mechanisms/paracrine-signalling/", ["SECRET1"]),
        ("/en/conditions/knee-osteoarthritis/", ["Draft product", "NMPA"]),
        ("/en/policies/bioeconomy-plan/", ["Hidden agency", "Secret category", "Draft product"]),
        ("/en/authorities/ndrc/", ["Draft guideline"]),
        ("/en/policies/", ["Draft guideline", "Hidden agency"]),
        ("/en/therapies/", ["Draft product"]),
        ("/en/categories/", ["Secret category"]),
        ("/en/molecules/", ["SECRET1"]),
        ("/en/", ["Draft product", "Draft guideline", "Secret category", "NMPA"]),
        ("/en/feeds/policies/", ["Draft guideline", "Hidden agency"]),
        ("/en/feeds/approvals/", ["Draft product"]),
    ],
)
def test_drafts_stay_out_of_related_lists_counts_and_feeds(client, world, path, hidden):
    html = client.get(path).content.decode()
    for text in hidden:
        assert text not in html, f"{text!r} leaked into {path}"


def test_draft_authority_is_not_a_facet_choice(client, world):
    html = client.get("/en/policies/").content.decode()
    assert "Hidden agency" not in html
    assert client.get("/en/policies/?authority=" + world["draft_authority"].slug).status_code == 200


def test_sitemap_lists_only_published_items(client, world):
    therapies = client.get("/sitemap-therapy.xml").content.decode()
    policies = client.get("/sitemap-policydocument.xml").content.decode()
    assert "cartistem" in therapies and "draft-product" not in therapies
    assert "bioeconomy-plan" in policies and "draft-guideline" not in policies


def test_search_never_finds_drafts(client, world):
    html = client.get("/en/search/?q=draft").content.decode()
    assert "Draft product" not in html and "Draft guideline" not in html


def test_unpublishing_removes_an_item_from_search(client, world):
    assert "Cartistem" in client.get("/en/search/?q=cartistem").content.decode()
    world["cartistem"].status = "draft"
    world["cartistem"].save()
    assert "Cartistem" not in client.get("/en/search/?q=cartistem").content.decode()
