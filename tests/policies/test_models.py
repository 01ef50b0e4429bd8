import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import PolicyDocumentFactory

pytestmark = pytest.mark.django_db


def test_effective_date_cannot_precede_issue_date_in_validation():
    policy = PolicyDocumentFactory(issued_on=datetime.date(2022, 5, 10))
    policy.effective_on = datetime.date(2022, 1, 1)
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "effective_on" in error.value.message_dict


def test_effective_date_order_is_also_a_database_constraint():
    policy = PolicyDocumentFactory(issued_on=datetime.date(2022, 5, 10))
    policy.effective_on = datetime.date(2022, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        policy.save()


def test_a_document_cannot_supersede_itself():
    policy = PolicyDocumentFactory()
    policy.supersedes = policy
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "supersedes" in error.value.message_dict


def test_supersede_chains_cannot_loop():
    older = PolicyDocumentFactory()
    newer = PolicyDocumentFactory(supersedes=older)
    older.supersedes = newer
    with pytest.raises(ValidationError) as error:
        older.full_clean()
    assert "supersedes" in error.value.message_dict


def test_jurisdictions_come_from_the_issuing_authorities():
    from tests.factories import AuthorityFactory

    issuers = [AuthorityFactory(jurisdiction="US"), AuthorityFactory(jurisdiction="CN")]
    policy = PolicyDocumentFactory(authorities=issuers)
    assert policy.jurisdictions == ["CN", "US"]


def test_issue_date_with_year_precision_shows_only_the_year():
    policy = PolicyDocumentFactory(issued_on=datetime.date(2015, 1, 1), issued_on_precision="year")
    assert (policy.issued_on_iso, policy.issued_on_display) == ("2015", "2015")


def test_policies_are_listed_newest_first_with_undated_ones_last():
    from policies.models import PolicyDocument

    undated = PolicyDocumentFactory(issued_on=None)
    older = PolicyDocumentFactory(issued_on=datetime.date(2015, 1, 1))
    newer = PolicyDocumentFactory(issued_on=datetime.date(2022, 5, 10))
    assert list(PolicyDocument.objects.all()) == [newer, older, undated]


def test_the_list_order_has_its_index_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the index is created on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'policy_list_order'")
        (definition,) = cursor.fetchone()
    assert "issued_on DESC NULLS LAST, title_en, id" in definition
