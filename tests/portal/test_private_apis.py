"""Fences around the private behaviour of Django and its libraries that the portal relies on.

Each test pins one private attribute or behaviour listed in docs/architecture.md ("Private
APIs we depend on") and fails when an upgrade changes it, even where the answers would stay
right and only speed or completeness would quietly go. The prepared statements have theirs
in tests/portal/test_prepared.py.
"""

import inspect

import django_filters
import pytest
import redis
from django.core.cache.backends.redis import RedisCacheClient
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import trans_real

from policies.models import PolicyDocument
from policies.selectors import policy_detail_queryset, supersedes_chain
from portal.api.resources import resources
from portal.cache import ResilientRedisCache, ReusedClientRedisCacheClient
from portal.paginators import CachedCountPaginator
from portal.selectors import set_prefetched, union_rows
from tests.factories import (
    ApprovalFactory,
    ConditionFactory,
    PolicyDocumentFactory,
    ReferenceFactory,
    TherapyFactory,
    TherapyMechanismFactory,
)
from therapies.models import Therapy, TherapyCategory
from therapies.selectors import load_therapy_links

FILTERSETS = sorted({viewset.filterset_class for _prefix, viewset, _basename in resources()}, key=lambda c: c.__name__)
FILTERSET_DATA = QueryDict("status=published&search=cell&ordering=-updated_at")
# Approvals: a regulatory status, and no updated_at of their own.
DATA_OF = {"ApprovalFilterSet": QueryDict("status=active&search=cell&ordering=-decided_on")}


def data_for(filterset_class) -> QueryDict:
    return DATA_OF.get(filterset_class.__name__, FILTERSET_DATA)


# --- django-filter: EditorialFilterSet replaces FilterSet.__init__ and builds the form from _meta.form ----------

def built_by_django_filter(filterset_class, data, queryset, request):
    """An instance of `filterset_class` set up by django-filter's own constructor."""
    filterset = object.__new__(filterset_class)
    django_filters.FilterSet.__init__(filterset, data, queryset, request=request, prefix="p")
    return filterset


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda c: c.__name__)
def test_our_filterset_constructor_sets_up_what_django_filters_does(filterset_class):
    """A new attribute in django-filter's constructor (one its `form`/`qs` then read) fails here."""
    queryset = filterset_class._meta.model.objects.all()
    request = RequestFactory().get("/")
    ours = filterset_class(data_for(filterset_class), queryset, request=request, prefix="p")
    theirs = built_by_django_filter(filterset_class, data_for(filterset_class), queryset, request)
    assert set(vars(ours)) == set(vars(theirs))
    for name in ("is_bound", "data", "queryset", "request", "form_prefix"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert list(ours.filters) == list(theirs.filters)
    for name, filter_ in ours.filters.items():
        assert type(filter_) is type(theirs.filters[name])
        assert filter_.parent is ours and filter_.model is queryset.model
        assert filter_ is not filterset_class.base_filters[name]  # a copy: the class's filters stay unbound
        if filter_.method is not None:
            # Re-assigning `method` gives the copy a FilterMethod of its own, which calls
            # `method` on this FilterSet (django-filter's deepcopy does the same).
            assert filter_.filter.f is filter_ and theirs.filters[name].filter.f is theirs.filters[name]


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda c: c.__name__)
def test_our_filterset_filters_as_django_filters_own_constructor_does(filterset_class):
    TherapyFactory()
    PolicyDocumentFactory()
    queryset = filterset_class._meta.model.objects.all()
    ours = filterset_class(data_for(filterset_class), queryset)
    theirs = built_by_django_filter(filterset_class, data_for(filterset_class), queryset, None)
    theirs.form_prefix = None
    assert ours.is_valid() and theirs.is_valid()
    assert str(ours.qs.query) == str(theirs.qs.query)


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_form_class_built_once_is_the_one_django_filter_builds(filterset_class, language):
    """`_form_class` subclasses `_meta.form` with one field per filter, as `FilterSet.get_form_class` does."""
    with translation.override(language):
        filterset = filterset_class(QueryDict(), filterset_class._meta.model.objects.none())
        ours, theirs = filterset.get_form_class(), django_filters.FilterSet.get_form_class(filterset)
        assert filterset.get_form_class() is ours  # built once per class and language
        assert ours.__mro__[1] is filterset._meta.form and theirs.__mro__[1] is filterset._meta.form
        assert list(ours.base_fields) == list(theirs.base_fields)
        # Compared as a form shows them: a label django-filter leaves None reads as the field's name.
        our_form, their_form = ours(), theirs()
        for name, field in ours.base_fields.items():
            other = theirs.base_fields[name]
            assert type(field) is type(other), name
            assert (str(our_form[name].label), str(field.help_text)) == (
                str(their_form[name].label), str(other.help_text)), name
            assert list(getattr(field, "choices", [])) == list(getattr(other, "choices", [])), name


# --- Django model state: _state.fields_cache, _result_cache, _prefetch_done, _prefetched_objects_cache ----------

@pytest.mark.django_db
def test_set_prefetched_answers_all_from_memory(django_assert_num_queries):
    """`set_prefetched` fills the caches `prefetch_related` fills; Django must still read them."""
    therapy = TherapyFactory()
    given = [ReferenceFactory(), ReferenceFactory()]
    set_prefetched(therapy, "references", given)
    with django_assert_num_queries(0):
        found = list(therapy.references.all())
        counted = therapy.references.count()
    assert found == given and all(a is b for a, b in zip(found, given, strict=True))
    assert counted == 2


@pytest.mark.django_db
def test_set_prefetched_leaves_the_state_prefetch_related_leaves():
    therapy = TherapyFactory(references=[ReferenceFactory()])
    django_prefetched = Therapy.objects.prefetch_related("references").get(pk=therapy.pk)
    ours = Therapy.objects.get(pk=therapy.pk)
    set_prefetched(ours, "references", list(ours.references.all()))
    theirs, mine = (obj._prefetched_objects_cache["references"] for obj in (django_prefetched, ours))
    assert (theirs._prefetch_done, mine._prefetch_done) == (True, True)
    assert theirs._result_cache == mine._result_cache


@pytest.mark.django_db
def test_loaded_rows_carry_their_foreign_keys(django_assert_num_queries):
    """`load_rows` and `load_therapy_links` put joined objects in `_state.fields_cache`,
    where a foreign key's descriptor looks before querying."""
    therapy = TherapyFactory()
    ApprovalFactory(therapy=therapy, condition=ConditionFactory(), reference=ReferenceFactory())
    TherapyMechanismFactory(therapy=therapy)
    therapy = Therapy.objects.get(pk=therapy.pk)
    load_therapy_links(therapy)
    with django_assert_num_queries(0):
        (approval,) = therapy.approvals.all()
        assert approval.therapy is therapy
        assert approval.condition.slug and approval.reference.title and approval.regulator.slug
        (link,) = therapy.published_mechanism_links
        assert link.mechanism.slug


@pytest.mark.django_db
def test_select_related_objects_are_in_fields_cache(django_assert_num_queries):
    """`supersedes_chain` follows `supersedes` only as far as `select_related` loaded it,
    which it learns from `_state.fields_cache`."""
    oldest = PolicyDocumentFactory()
    older = PolicyDocumentFactory(supersedes=oldest)
    policy = PolicyDocumentFactory(supersedes=older)
    loaded = PolicyDocument.objects.select_related("supersedes").get(pk=policy.pk)
    assert "supersedes" in loaded._state.fields_cache
    assert "supersedes" not in loaded.supersedes._state.fields_cache
    with django_assert_num_queries(0):
        assert supersedes_chain(loaded) == [older]
    detail = policy_detail_queryset().get(pk=policy.pk)
    with django_assert_num_queries(0):
        assert supersedes_chain(detail) == [older, oldest]


@pytest.mark.django_db
def test_a_deferred_field_is_absent_from_the_instance_dict(django_assert_num_queries):
    """`EditorialModel.from_db` reads the stored status from `__dict__`, where a deferred field is not."""
    therapy = TherapyFactory()
    with django_assert_num_queries(1):
        assert Therapy.objects.only("slug").get(pk=therapy.pk).stored_status is None
    assert Therapy.objects.get(pk=therapy.pk).stored_status == "published"


# --- Django Query: order_by / default_ordering (union_queryset), sql_with_params (CachedCountPaginator) --------

def test_query_ordering_state_is_where_union_queryset_reads_it():
    """An explicit ordering is `query.order_by`; `order_by()` clears it and turns Meta.ordering off."""
    assert TherapyCategory.objects.all().query.default_ordering is True
    assert TherapyCategory.objects.order_by("-slug").query.order_by == ("-slug",)
    cleared = TherapyCategory.objects.order_by().query
    assert cleared.order_by == () and cleared.default_ordering is False


@pytest.mark.django_db
def test_each_part_of_a_union_keeps_its_own_order():
    for name in ("b", "a", "c"):
        TherapyCategory.objects.create(name_en=name, slug=name, position=0)
    parts = [(TherapyCategory.objects.all(), ["slug"]),  # Meta.ordering: position, name, id
             (TherapyCategory.objects.order_by("-slug"), ["slug"]),
             (TherapyCategory.objects.filter(slug="a").order_by(), ["slug"])]
    assert union_rows(parts) == [[("a",), ("b",), ("c",)], [("c",), ("b",), ("a",)], [("a",)]]


@pytest.mark.django_db
def test_list_counts_are_keyed_by_the_statement_and_its_values():
    """The paginator's count key is `Query.sql_with_params()`: values apart from the SQL."""
    sql, params = Therapy.objects.filter(slug="some-slug").query.sql_with_params()
    assert "some-slug" not in sql and "some-slug" in params
    TherapyFactory(kind="car_t")
    counts = [CachedCountPaginator(Therapy.objects.filter(kind=kind), 10).count for kind in ("car_t", "msc", "car_t")]
    assert counts == [1, 0, 1]


# --- Django's Redis backend: _class, _cache, _get_connection_pool, _client ------------------------------------

def unreachable_cache():
    return ResilientRedisCache("redis://127.0.0.1:1/0", {})  # nothing listens on port 1; nothing connects yet


def test_the_backend_builds_our_client_class():
    cache = unreachable_cache()
    assert type(cache._cache) is ReusedClientRedisCacheClient


def test_one_redis_client_per_connection_pool():
    client_wrapper = unreachable_cache()._cache
    client = client_wrapper.get_client()
    assert client is client_wrapper.get_client() and isinstance(client, client_wrapper._client)
    assert issubclass(client_wrapper._client, redis.Redis)
    assert client.connection_pool is client_wrapper._get_connection_pool(False)


def test_django_reaches_redis_through_get_client(monkeypatch):
    """Our override is only used if Django's cache methods still call `get_client`, with its signature."""
    assert inspect.signature(ReusedClientRedisCacheClient.get_client) == inspect.signature(RedisCacheClient.get_client)
    calls = []
    original = ReusedClientRedisCacheClient.get_client
    monkeypatch.setattr(ReusedClientRedisCacheClient, "get_client",
                        lambda self, *args, **kwargs: calls.append(kwargs) or original(self, *args, **kwargs))
    assert unreachable_cache().get("key", "missed") == "missed"
    assert calls


# --- Django's translation internals: trans_real.translation (gunicorn.conf.py preloads the catalogues) --------

def test_a_catalogue_is_loaded_once_per_language_and_kept():
    """`when_ready` loads each language's catalogue in the master so forked workers inherit it:
    that only helps while `trans_real.translation` keeps what it loaded."""
    catalogue = trans_real.translation("zh-hans")
    assert trans_real.translation("zh-hans") is catalogue
    with translation.override("zh-hans"):
        assert translation.gettext("Dates") == catalogue.gettext("Dates") != "Dates"
