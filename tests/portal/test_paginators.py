"""The list total is counted once per content generation and is never stale."""

import pytest

from portal.paginators import CachedCountPaginator
from tests.factories import TherapyCategoryFactory
from therapies.models import TherapyCategory

pytestmark = pytest.mark.django_db


def test_the_count_is_queried_once_per_content_generation(django_assert_num_queries):
    TherapyCategoryFactory.create_batch(3)
    assert CachedCountPaginator(TherapyCategory.objects.published(), 2).count == 3
    with django_assert_num_queries(0):
        assert CachedCountPaginator(TherapyCategory.objects.published(), 2).count == 3


def test_a_change_of_content_is_counted_at_once():
    TherapyCategoryFactory.create_batch(3)
    assert CachedCountPaginator(TherapyCategory.objects.published(), 2).count == 3
    TherapyCategoryFactory()
    assert CachedCountPaginator(TherapyCategory.objects.published(), 2).count == 4


def test_different_filters_are_counted_separately():
    TherapyCategoryFactory.create_batch(2)
    TherapyCategoryFactory(status="draft")
    assert CachedCountPaginator(TherapyCategory.objects.published(), 2).count == 2
    assert CachedCountPaginator(TherapyCategory.objects.all(), 2).count == 3


def test_a_filter_that_matches_nothing_counts_zero_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert CachedCountPaginator(TherapyCategory.objects.filter(pk__in=[]), 2).count == 0
