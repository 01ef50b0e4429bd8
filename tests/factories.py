"""factory_boy factories for every curated model.

Every optional field is filled, translated fields in both languages, and partial dates
take each precision in turn: a test comparing two ways of reading an object then compares
real values, not empty against empty. `tests.factories.clear_optional(obj)` empties them
again where a test needs the blanks and nulls.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models

from policies.models import Authority, KeyProvision, PolicyDocument
from portal import i18n
from portal.choices import EditorialStatus
from portal.models import Reference
from therapies.models import (
    Approval,
    ApprovalEvent,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
    TherapyName,
)

# Partial dates take each precision in turn (each stored as the first day of its period).
PRECISIONS = ("day", "month", "quarter", "year")


def partial_date(day: datetime.date, precision_field: str):
    """`day` cut back to the first day of the period its object's precision names."""
    def start(obj):
        precision = getattr(obj, precision_field)
        if precision == "month":
            return day.replace(day=1)
        if precision == "quarter":
            return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        if precision == "year":
            return day.replace(month=1, day=1)
        return day
    return factory.LazyAttribute(start)


def clear_optional(obj, keep: tuple[str, ...] = ()) -> None:
    """Empty every optional field of `obj` but those in `keep` (blank text, null values and
    foreign keys), in place and in the database, so a test sees the blanks and nulls beside
    the filled factories."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in ("slug", *keep) or field.auto_created:
            continue
        if field.null:
            values[field.attname] = None
        elif field.blank and isinstance(field, (models.CharField, models.TextField)):
            values[field.attname] = ""
    type(obj).objects.filter(pk=obj.pk).update(**values)
    obj.refresh_from_db()


# Validators every text field has; a field with any other (a DOI, a PMID) gets no made-up value.
GENERIC_VALIDATORS = (MaxLengthValidator, ProhibitNullCharactersValidator)


class CompleteFactory(factory.django.DjangoModelFactory):
    """Fills any optional text or date field the factory leaves unset, so a field added to a
    model is filled (both languages of a translated one) without a factory edit."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        translated = i18n.translated_fields(model_class)
        language_columns = {column for name in translated for column in i18n.columns(name)}
        for field in model_class._meta.concrete_fields:
            if field.name in language_columns or field.is_relation or field.name == "slug":
                continue
            if field.name in translated:
                columns = i18n.columns(field.name)
                if not {field.name, *columns} & set(kwargs):
                    kwargs.update({column: f"{field.name} ({column})" for column in columns})
            elif field.name not in kwargs and field.attname not in kwargs:
                value = _made_up_value(field)
                if value is not None:
                    kwargs[field.name] = value
        return super()._create(model_class, *args, **kwargs)


def _made_up_value(field):
    if not field.blank and not field.null or field.choices or field.has_default() and field.default not in ("", None):
        return None
    if any(not isinstance(validator, GENERIC_VALIDATORS) for validator in field.validators):
        return None
    if isinstance(field, models.URLField):
        return f"https://example.org/{field.name}"
    if isinstance(field, (models.CharField, models.TextField)):
        return field.name[: field.max_length or None]
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return datetime.date(2026, 1, 15)
    return None


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


class ReferenceFactory(CompleteFactory):
    class Meta:
        model = Reference

    kind = "article"
    title = factory.Sequence(lambda n: f"Source document {n}")
    authors = factory.Sequence(lambda n: f"Author A, Author {n}")
    publisher = "Example Journal"
    year = 2023
    doi = factory.Sequence(lambda n: f"10.1000/example.{n}")
    pmid = factory.Sequence(lambda n: str(30000000 + n))
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")
    accessed_on = datetime.date(2026, 11, 2)
    status = EditorialStatus.PUBLISHED


class PublishedFactory(CompleteFactory):
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
    description_en = "A family of *cell* therapies."
    description_zh_hans = "一类**细胞**疗法。"
    position = factory.Sequence(lambda n: n % 7)
    mesh_id = factory.Sequence(lambda n: f"D{n:06d}")


class MoleculeFactory(PublishedFactory):
    class Meta:
        model = Molecule

    symbol = factory.Sequence(lambda n: f"MOL{n}")
    name_en = factory.Sequence(lambda n: f"Molecule {n}")
    name_zh_hans = factory.Sequence(lambda n: f"分子{n}")
    aliases = factory.Sequence(lambda n: f"M-{n}, MF{n}")
    kind = "growth_factor"
    description_en = "A signalling *protein*."
    description_zh_hans = "一种信号**蛋白**。"
    uniprot = factory.Sequence(lambda n: f"P{n:05d}")
    hgnc_id = factory.Sequence(lambda n: f"HGNC:{n + 1}")
    ncbi_gene_id = factory.Sequence(lambda n: str(n + 1))


class ConditionFactory(PublishedFactory):
    class Meta:
        model = Condition

    name_en = factory.Sequence(lambda n: f"Condition {n}")
    name_zh_hans = factory.Sequence(lambda n: f"疾病{n}")
    description_en = "A *disease*."
    description_zh_hans = "一种**疾病**。"
    icd10 = "M17"
    icd10_cm = "M17.0"
    mesh_id = factory.Sequence(lambda n: f"D{n + 100000:06d}")


class MechanismFactory(PublishedFactory):
    class Meta:
        model = Mechanism

    name_en = factory.Sequence(lambda n: f"Mechanism {n}")
    name_zh_hans = factory.Sequence(lambda n: f"机制{n}")
    summary_en = "How the cells act."
    summary_zh_hans = "细胞如何起作用。"
    body_en = "The cells *home* to the injury."
    body_zh_hans = "细胞**归巢**到损伤处。"
    mesh_id = factory.Sequence(lambda n: f"D{n + 200000:06d}")


class MechanismMoleculeFactory(CompleteFactory):
    class Meta:
        model = MechanismMolecule

    mechanism = factory.SubFactory(MechanismFactory)
    molecule = factory.SubFactory(MoleculeFactory)
    role_en = "Signals to nearby cells."
    role_zh_hans = "向邻近细胞发出信号。"


class TherapyFactory(PublishedFactory):
    class Meta:
        model = Therapy

    name_en = factory.Sequence(lambda n: f"Therapy {n}")
    name_zh_hans = factory.Sequence(lambda n: f"疗法{n}")
    kind = "product"
    category = factory.SubFactory(TherapyCategoryFactory)
    cell_source = "autologous"
    stage = "approved"
    generic_name = factory.Sequence(lambda n: f"examplecel-{n}")
    developer_en = factory.Sequence(lambda n: f"Example Bio {n}")
    developer_zh_hans = factory.Sequence(lambda n: f"示例生物{n}")
    cell_type_en = "T cells"
    cell_type_zh_hans = "T细胞"
    summary_en = "A cell therapy product."
    summary_zh_hans = "一种细胞治疗产品。"
    body_en = "Made from the patient's *own* cells."
    body_zh_hans = "由患者**自身**细胞制成。"
    last_reviewed_on = datetime.date(2026, 10, 1)


class TherapyMechanismFactory(CompleteFactory):
    class Meta:
        model = TherapyMechanism

    therapy = factory.SubFactory(TherapyFactory)
    mechanism = factory.SubFactory(MechanismFactory)
    role_en = "Kills the target cells."
    role_zh_hans = "杀伤靶细胞。"


class AuthorityFactory(PublishedFactory):
    class Meta:
        model = Authority

    name_en = factory.Sequence(lambda n: f"Authority {n}")
    name_zh_hans = factory.Sequence(lambda n: f"机构{n}")
    abbreviation_en = factory.Sequence(lambda n: f"AUTH{n}")
    abbreviation_zh_hans = factory.Sequence(lambda n: f"机构简称{n}")
    jurisdiction = "CN"
    level = "national"
    website = factory.Sequence(lambda n: f"https://authority{n}.example.org/")
    description_en = "A *regulator*."
    description_zh_hans = "一个**监管机构**。"


# The regulators of today's data, by their slug (the former agency codes).
REGULATOR_JURISDICTIONS = {"fda": "US", "ema": "EU", "nmpa": "CN", "pmda": "JP", "mfds": "KR",
                           "health_canada": "CA", "hk_dh": "CN-HK", "macao_isaf": "CN-MO"}


class RegulatorFactory(AuthorityFactory):
    """A regulator, one per slug: `RegulatorFactory(slug="ema")` twice is the same record."""

    class Meta:
        model = Authority
        django_get_or_create = ("slug",)

    slug = "fda"
    name_en = factory.LazyAttribute(lambda o: f"Regulator {o.slug}")
    abbreviation_en = factory.LazyAttribute(lambda o: o.slug.upper())
    jurisdiction = factory.LazyAttribute(lambda o: REGULATOR_JURISDICTIONS.get(o.slug, "US"))
    is_regulator = True


class ApprovalFactory(CompleteFactory):
    """`agency="ema"` names the regulator by slug; `withdrawn_on=date` (with
    `withdrawn_on__precision`) adds a withdrawal event."""

    class Meta:
        model = Approval

    class Params:
        agency = "fda"

    therapy = factory.SubFactory(TherapyFactory)
    regulator = factory.LazyAttribute(lambda o: RegulatorFactory(slug=o.agency))
    decided_on_precision = factory.Sequence(lambda n: PRECISIONS[n % len(PRECISIONS)])
    decided_on = partial_date(datetime.date(2017, 8, 30), "decided_on_precision")
    pathway = "standard"
    condition = factory.SubFactory(ConditionFactory)
    indication_text_en = "Adults with relapsed disease."
    indication_text_zh_hans = "复发的成人患者。"
    reference = factory.SubFactory(ReferenceFactory)
    internal_note = "Day to be confirmed against the regulator's record."

    @factory.post_generation
    def withdrawn_on(self, create, extracted, precision="month", **kwargs):
        if extracted and create:
            ApprovalEventFactory(approval=self, kind="withdrawn", date=extracted, date_precision=precision)


class TherapyNameFactory(CompleteFactory):
    class Meta:
        model = TherapyName

    therapy = factory.SubFactory(TherapyFactory)
    name = factory.Sequence(lambda n: f"CTL0{n}")
    kind = "code"


class ApprovalEventFactory(CompleteFactory):
    class Meta:
        model = ApprovalEvent

    approval = factory.SubFactory(ApprovalFactory)
    kind = "boxed_warning_added"
    date = datetime.date(2024, 4, 1)
    date_precision = "month"
    details_en = "Secondary T-cell malignancies added to the boxed warning."
    details_zh_hans = "黑框警告新增继发性T细胞恶性肿瘤。"
    reference = factory.SubFactory(ReferenceFactory)


class PolicyDocumentFactory(PublishedFactory):
    class Meta:
        model = PolicyDocument

    title_en = factory.Sequence(lambda n: f"Policy document {n}")
    title_zh_hans = factory.Sequence(lambda n: f"政策文件{n}")
    title_original = factory.Sequence(lambda n: f"原文标题{n}")
    document_number = factory.Sequence(lambda n: f"No. {n}/2022")
    doc_type = "guideline"
    legal_status = "in_force"
    issued_on_precision = factory.Sequence(lambda n: PRECISIONS[n % len(PRECISIONS)])
    issued_on = partial_date(datetime.date(2022, 5, 10), "issued_on_precision")
    effective_on_precision = factory.Sequence(lambda n: PRECISIONS[(n + 1) % len(PRECISIONS)])
    effective_on = partial_date(datetime.date(2023, 8, 15), "effective_on_precision")
    summary_en = "What the document requires."
    summary_zh_hans = "文件的要求。"
    body_en = "Sponsors *must* report."
    body_zh_hans = "申办者**必须**报告。"
    source_url = factory.Sequence(lambda n: f"https://authority.example.org/documents/{n}")

    @factory.post_generation
    def authorities(self, create, extracted, **kwargs):
        if create:
            self.authorities.add(*(extracted if extracted is not None else [AuthorityFactory()]))


class KeyProvisionFactory(CompleteFactory):
    class Meta:
        model = KeyProvision

    policy = factory.SubFactory(PolicyDocumentFactory)
    position = factory.Sequence(int)
    heading_en = "Scope"
    heading_zh_hans = "范围"
    text_en = "Applies to cell therapy products."
    text_zh_hans = "适用于细胞治疗产品。"
