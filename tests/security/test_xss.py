"""Hostile input renders inert: through the sanitiser, every field that reaches a page, the API, feeds."""

import json
import xml.etree.ElementTree as ET  # noqa: N817 - parses our own feed output only
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from portal.markdown import ALLOWED_TAGS, render_markdown
from tests.factories import (
    ApprovalFactory,
    AuthorityFactory,
    ConditionFactory,
    KeyProvisionFactory,
    MechanismFactory,
    MechanismMoleculeFactory,
    MoleculeFactory,
    PolicyDocumentFactory,
    ReferenceFactory,
    TherapyCategoryFactory,
    TherapyFactory,
    TherapyMechanismFactory,
)

PAYLOADS = [
    line for line in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("# ")
]
ALL_PAYLOADS = "\n\n".join(PAYLOADS)
SHORT_PAYLOAD = '<img src=x onerror=alert(1)>"><script>alert(1)</script>'

ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "style",
               "base", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class Danger(HTMLParser):
    """Finds anything in HTML that could run script; `fragment` also refuses non-whitelisted tags."""

    def __init__(self, fragment: bool):
        super().__init__(convert_charrefs=True)
        self.fragment, self.found = fragment, []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.fragment and tag not in ALLOWED_TAGS:
            self.found.append(f"tag <{tag}>")
        if tag in ACTIVE_TAGS and not self._site_own(tag, attributes):
            self.found.append(f"active tag <{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.found.append("meta refresh")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.append(f"handler {name} on <{tag}>")
            if name == "style" and value:
                self.found.append(f"style on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                squeezed = "".join(ch for ch in unescape(value) if ch > " ").lower()
                if squeezed.startswith(BAD_SCHEMES):
                    self.found.append(f"{name}={value!r} on <{tag}>")


    def _site_own(self, tag, attributes) -> bool:
        """What the site's own templates may contain: static scripts, JSON data blocks, drawn charts.

        A payload that broke out of a JSON block would show up as a second, typeless <script>.
        """
        if self.fragment:
            return False
        if tag == "script":
            return (attributes.get("src") or "").startswith("/static/") or attributes.get("type") in (
                "application/ld+json", "application/json")
        return tag == "svg"


def dangers(html: str, *, fragment: bool) -> list[str]:
    parser = Danger(fragment)
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_markdown_makes_each_payload_inert(payload):
    assert dangers(render_markdown(payload), fragment=True) == []


def test_render_markdown_makes_the_whole_corpus_inert_together():
    assert dangers(render_markdown(ALL_PAYLOADS), fragment=True) == []


def test_the_checker_does_catch_what_it_looks_for():
    assert dangers('<a href=" JaVa&#x09;script:x">', fragment=False)
    assert dangers("<img src=x onerror=alert(1)>", fragment=False)
    assert dangers("<svg>", fragment=True)
    assert dangers("<script>alert(1)</script>", fragment=False)


@pytest.fixture
def hostile(db):
    """Published items of every kind with hostile text in every human-written field."""
    references = [ReferenceFactory(title=SHORT_PAYLOAD, authors=SHORT_PAYLOAD, publisher=SHORT_PAYLOAD)]
    text = {"description_en": ALL_PAYLOADS, "description_zh_hans": ALL_PAYLOADS}
    category = TherapyCategoryFactory(name_en=SHORT_PAYLOAD, **text, references=references)
    molecule = MoleculeFactory(name_en=SHORT_PAYLOAD, aliases=SHORT_PAYLOAD, **text)
    condition = ConditionFactory(name_en=SHORT_PAYLOAD, **text)
    mechanism = MechanismFactory(name_en=SHORT_PAYLOAD, summary_en=ALL_PAYLOADS, body_en=ALL_PAYLOADS,
                                 body_zh_hans=ALL_PAYLOADS)
    MechanismMoleculeFactory(mechanism=mechanism, molecule=molecule, role_en=SHORT_PAYLOAD)
    therapy = TherapyFactory(
        name_en=SHORT_PAYLOAD, category=category, generic_name=SHORT_PAYLOAD, developer_en=SHORT_PAYLOAD,
        cell_type_en=SHORT_PAYLOAD, summary_en=ALL_PAYLOADS, body_en=ALL_PAYLOADS, body_zh_hans=ALL_PAYLOADS,
    )
    therapy.conditions.add(condition)
    therapy.target_molecules.add(molecule)
    TherapyMechanismFactory(therapy=therapy, mechanism=mechanism, role_en=SHORT_PAYLOAD)
    ApprovalFactory(therapy=therapy, condition=condition, indication_text_en=SHORT_PAYLOAD)
    authority = AuthorityFactory(name_en=SHORT_PAYLOAD, abbreviation_en="XSS", **text)
    policy = PolicyDocumentFactory(
        title_en=SHORT_PAYLOAD, title_original=SHORT_PAYLOAD, document_number=SHORT_PAYLOAD,
        summary_en=ALL_PAYLOADS, body_en=ALL_PAYLOADS, body_zh_hans=ALL_PAYLOADS, authorities=[authority],
    )
    policy.therapies.add(therapy)
    KeyProvisionFactory(policy=policy, heading_en=SHORT_PAYLOAD, text_en=ALL_PAYLOADS)
    return [category, molecule, condition, mechanism, therapy, authority, policy]


def _urls(items) -> list[str]:
    urls = ["/en/", "/zh-hans/"]
    for name in ["therapies:category-list", "therapies:therapy-list", "policies:policy-list", "search", "about"]:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    urls += [item.get_absolute_url() for item in items if item.get_absolute_url()]
    return urls


def test_every_page_showing_hostile_content_is_inert(client, hostile):
    for url in _urls(hostile):
        response = client.get(url, {"q": SHORT_PAYLOAD} if "search" in url else {})
        assert response.status_code == 200, url
        assert dangers(response.content.decode(), fragment=False) == [], url



@pytest.mark.parametrize("name", [
    "feed-policies",
    "feed-approvals",
])
def test_feeds_carry_only_inert_html(client, hostile, name):
    try:
        url = reverse(name)
    except NoReverseMatch:
        pytest.skip(f"{name} is not routed")
    response = client.get(url)
    assert response.status_code == 200
    for element in ET.fromstring(response.content).iter():  # noqa: S314 - our own output
        # Readers render RSS descriptions and Atom type="html" elements as HTML; the rest is text.
        is_html = element.tag.endswith("description") or element.get("type") in ("html", "xhtml")
        if is_html and element.text:
            assert dangers(element.text, fragment=False) == [], element.tag


def _html_fields(data, path="$"):
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_html") and isinstance(value, str):
                yield f"{path}.{key}", value
            else:
                yield from _html_fields(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _html_fields(value, f"{path}[{index}]")


def test_api_html_fields_are_inert(client, hostile):
    try:
        resolve("/api/v1/")
    except Resolver404:
        pytest.skip("the API is not routed yet")
    root = client.get("/api/v1/").json()
    # The API root lists its collections under "resources" (plain text fields are JSON-escaped by
    # consumers; only *_html fields are meant to be inserted as HTML, so only they are checked).
    endpoints = list(root.get("resources", {}).values())
    checked = 0
    for endpoint in endpoints:
        listing = client.get(endpoint).json()
        details = [row["url"] for row in listing.get("results", []) if isinstance(row, dict) and "url" in row]
        for document in [listing, *(client.get(url).json() for url in details)]:
            for path, html in _html_fields(document):
                assert dangers(html, fragment=True) == [], (endpoint, path)
                checked += 1
    assert checked, json.dumps(root)[:200]
