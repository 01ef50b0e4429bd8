"""factory_boy factories for every curated model. Translated fields are set per language."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from policies.models import Authority, KeyProvision, PolicyDocument
from portal.choices import EditorialStatus
from portal.models import Reference
from therapies.models import (
    Approval,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    title = factory.Sequence(lambda n: f"Source document {n}")
    publisher = "Example Journal"
    year = 2023
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")
    status = EditorialStatus.PUBLISHED


class PublishedFactory(factory.django.DjangoModelFactory):
    """Curated items default to published; pass status="draft" for a draft."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    status = EditorialStatus.PUBLISHED

    @factory.post_generation
    def references(self, create, extracted, **kwargs):
        if create and extracted:
            self.references.add(*extracted)


class TherapyCategoryFactory(PublishedFactory):
    class Meta:
        model = TherapyCategory

    name_en = factory.Sequence(lambda n: f"Category {n}")
    name_zh_hans = factory.Sequence(lambda n: f"类别{n}")
    description_en = "A family of cell therapies."
    description_zh_hans = "一类细胞疗法。"


class MoleculeFactory(PublishedFactory):
    class Meta:
        model = Molecule

    symbol = factory.Sequence(lambda n: f"MOL{n}")
    name_en = factory.Sequence(lambda n: f"Molecule {n}")
    name_zh_hans = factory.Sequence(lambda n: f"分子{n}")
    kind = "growth_factor"


class ConditionFactory(PublishedFactory):
    class Meta:
        model = Condition

    name_en = factory.Sequence(lambda n: f"Condition {n}")
    name_zh_hans = factory.Sequence(lambda n: f"疾病{n}")
    icd10 = "M17"


class MechanismFactory(PublishedFactory):
    class Meta:
        model = Mechanism

    name_en = factory.Sequence(lambda n: f"Mechanism {n}")
    name_zh_hans = factory.Sequence(lambda n: f"机制{n}")
    summary_en = "How the cells act."
    summary_zh_hans = "细胞如何起作用。"


class MechanismMoleculeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MechanismMolecule

    mechanism = factory.SubFactory(MechanismFactory)
    molecule = factory.SubFactory(MoleculeFactory)
    role_en = "Signals to nearby cells."


class TherapyFactory(PublishedFactory):
    class Meta:
        model = Therapy

    name_en = factory.Sequence(lambda n: f"Therapy {n}")
    name_zh_hans = factory.Sequence(lambda n: f"疗法{n}")
    kind = "product"
    category = factory.SubFactory(TherapyCategoryFactory)
    cell_source = "autologous"
    stage = "approved"
    summary_en = "A cell therapy product."
    summary_zh_hans = "一种细胞治疗产品。"


class TherapyMechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapyMechanism

    therapy = factory.SubFactory(TherapyFactory)
    mechanism = factory.SubFactory(MechanismFactory)
    role_en = "Kills the target cells."


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    therapy = factory.SubFactory(TherapyFactory)
    agency = "fda"
    decided_on = datetime.date(2017, 8, 30)
    decided_on_precision = "day"
    approval_type = "full"
    indication = factory.SubFactory(ConditionFactory)
    status = "active"


class AuthorityFactory(PublishedFactory):
    class Meta:
        model = Authority

    name_en = factory.Sequence(lambda n: f"Authority {n}")
    name_zh_hans = factory.Sequence(lambda n: f"机构{n}")
    jurisdiction = "CN"
    level = "national"


class PolicyDocumentFactory(PublishedFactory):
    class Meta:
        model = PolicyDocument

    title_en = factory.Sequence(lambda n: f"Policy document {n}")
    title_zh_hans = factory.Sequence(lambda n: f"政策文件{n}")
    doc_type = "guideline"
    legal_status = "in_force"
    issued_on = datetime.date(2022, 5, 10)
    issued_on_precision = "day"
    summary_en = "What the document requires."
    summary_zh_hans = "文件的要求。"

    @factory.post_generation
    def authorities(self, create, extracted, **kwargs):
        if create:
            self.authorities.add(*(extracted if extracted is not None else [AuthorityFactory()]))


class KeyProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyProvision

    policy = factory.SubFactory(PolicyDocumentFactory)
    position = factory.Sequence(int)
    heading_en = "Scope"
    text_en = "Applies to cell therapy products."
