"""Two search forms on the search page must be told apart by assistive technology."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_each_search_landmark_is_named_by_its_own_label(client):
    page = client.get("/en/search/?q=cell").content.decode()
    names = re.findall(r'role="search" aria-labelledby="([^"]+)"', page)
    assert len(names) == 2 and len(set(names)) == 2
    for label_id in names:
        assert f'<label id="{label_id}"' in page
