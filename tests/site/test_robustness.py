"""No query string makes a public page fail: bad input is a 4xx or a friendly page."""

import pytest

GARBAGE = [
    "page=abc", "page=-1", "page=0", "page=999999", "page=1e309", "page=%00", "q=%00", "q=%00%01%02abc",
    "q=" + "x" * 10000, "type=nonsense", "type=%00", "jurisdiction=%00", "jurisdiction=XX", "year=abcd",
    "year=99999999999999999999", "authority=" + "a" * 5000, "status=%FF%FE", "view=%00", "q=%ED%A0%80",
    "q[]=1&q[]=2", "page=1&page=2", "q=%27%22%3Cscript%3E", "type=therapy&q=stem&page=abc",
]
PATHS = ["/en/", "/en/search/", "/zh-hans/search/", "/en/policies/", "/en/therapies/", "/en/categories/msc/",
         "/en/mechanisms/paracrine-signalling/", "/en/authorities/ndrc/", "/en/feeds/approvals/"]


@pytest.mark.parametrize("query", GARBAGE)
@pytest.mark.parametrize("path", PATHS)
def test_garbage_query_string_is_never_a_server_error(client, world, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500


def test_invalid_page_number_is_a_friendly_404(client, world):
    response = client.get("/en/therapies/?page=abc")
    assert response.status_code == 404
    assert 'class="site-search"' in response.content.decode()


def test_invalid_facet_is_ignored_with_a_notice(client, world):
    response = client.get("/en/policies/?jurisdiction=XX")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "14th Five-Year Plan" in response.content.decode()


def test_search_query_is_escaped_when_shown(client, world):
    html = client.get("/en/search/?q=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_unknown_sitemap_section_is_404(client, db):
    assert client.get("/sitemap-nonsense.xml").status_code == 404
