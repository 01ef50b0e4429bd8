"""Integrity of the curated dataset shipped under data/ (settings.CURATED_DATA_DIR).

The files are loaded once for the module, inside a transaction that is rolled back at the
end, so the rest of the suite never sees them. File-level checks read the YAML directly.
"""

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from modeltranslation.translator import translator

from policies.models import Authority, KeyProvision, PolicyDocument
from portal.choices import DatePrecision, EditorialStatus
from portal.curated import FAMILIES, load_curated
from portal.models import Reference
from portal.validators import (
    validate_doi,
    validate_hgnc,
    validate_icd10,
    validate_mesh,
    validate_ncbi_gene,
    validate_pmid,
    validate_uniprot,
)
from therapies.choices import TherapyKind
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

pytestmark = pytest.mark.django_db

DATA_DIR = Path(settings.CURATED_DATA_DIR)
CURATED_MODELS = [TherapyCategory, Molecule, Condition, Mechanism, Therapy, Authority, PolicyDocument]
CHILD_MODELS = [MechanismMolecule, TherapyMechanism, Approval, KeyProvision]
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    """Load data/ once for the module; roll it back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = load_curated(DATA_DIR)
        yield report
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _loaded(first_load):
    return first_load


@cache
def _records(filename):
    return yaml.safe_load((DATA_DIR / filename).read_text(encoding="utf-8")) or []


def _family_by_model():
    return {family.model: family for family in FAMILIES}


# --- the load itself ---------------------------------------------------------------------------
def test_first_load_creates_every_record_in_the_files(first_load):
    expected = sum(len(_records(family.filename)) for family in FAMILIES)
    assert first_load.changed == expected


def test_second_load_changes_nothing():
    assert load_curated(DATA_DIR).changed == 0


# --- counts (issue #5 acceptance) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("queryset", "minimum", "exact"),
    [
        (lambda: Therapy.objects.filter(kind=TherapyKind.PRODUCT), 38, True),
        (lambda: Molecule.objects.all(), 32, True),
        (lambda: Condition.objects.all(), 20, True),
        (lambda: PolicyDocument.objects.all(), 16, True),
        (lambda: Mechanism.objects.all(), 7, False),
        (lambda: TherapyCategory.objects.all(), 15, False),
        (lambda: Therapy.objects.filter(kind=TherapyKind.MODALITY), 1, False),
    ],
    ids=["products", "molecules", "conditions", "policies", "mechanisms", "categories", "modalities"],
)
def test_counts(queryset, minimum, exact):
    count = queryset().published().count()
    assert count == minimum if exact else count >= minimum


def test_everything_in_the_files_is_published():
    for model in [Reference, *CURATED_MODELS]:
        assert not model.objects.exclude(status=EditorialStatus.PUBLISHED).exists(), model.__name__


# --- approvals -----------------------------------------------------------------------------------
def test_every_product_has_an_approval_with_agency_and_date():
    products = Therapy.objects.published().filter(kind=TherapyKind.PRODUCT)
    dated = Approval.objects.exclude(agency="").filter(decided_on__isnull=False)
    assert list(products.exclude(pk__in=dated.values("therapy"))) == []


def test_every_approval_cites_a_reference():
    assert list(Approval.objects.filter(reference__isnull=True)) == []


def test_withdrawn_approvals_have_a_withdrawal_date():
    withdrawn = Approval.objects.filter(status="withdrawn")
    assert withdrawn.count() >= 4  # ChondroCelect, Alofisel, Provenge and MACI in the EU
    assert not withdrawn.filter(withdrawn_on__isnull=True).exists()


# --- references and languages ---------------------------------------------------------------------
@pytest.mark.parametrize("model", CURATED_MODELS, ids=lambda m: m.__name__)
def test_every_published_item_has_a_reference(model):
    unreferenced = model.objects.published().annotate(n=models.Count("references")).filter(n=0)
    assert list(unreferenced.values_list("slug", flat=True)) == []


def test_every_reference_has_a_valid_locator():
    for reference in Reference.objects.all():
        assert reference.doi or reference.pmid or reference.url, reference.slug
        if reference.doi:
            validate_doi(reference.doi)
        if reference.pmid:
            validate_pmid(reference.pmid)


def test_every_reference_in_the_file_is_cited():
    cited = set()
    for family in FAMILIES:
        for record in _records(family.filename):
            cited.update(record.get("references") or [])
            for rows in (record.get(key) or [] for key in family.children):
                cited.update(row["reference"] for row in rows if row.get("reference"))
    assert {r["slug"] for r in _records("references.yaml")} - cited == set()


def _untranslated(instance):
    """Translated fields filled in one language and empty in the other."""
    missing = []
    for field in translator.get_options_for_model(type(instance)).fields:
        english, chinese = getattr(instance, f"{field}_en"), getattr(instance, f"{field}_zh_hans")
        if bool((english or "").strip()) != bool((chinese or "").strip()):
            missing.append(field)
    return missing


@pytest.mark.parametrize("model", [*CURATED_MODELS, *CHILD_MODELS], ids=lambda m: m.__name__)
def test_both_languages_are_complete(model):
    gaps = {str(item): gaps for item in model._default_manager.all() if (gaps := _untranslated(item))}
    assert gaps == {}


@pytest.mark.parametrize("model", CURATED_MODELS, ids=lambda m: m.__name__)
def test_every_item_has_a_name_in_both_languages(model):
    field = "title" if model is PolicyDocument else "name"
    blank = model.objects.filter(models.Q(**{f"{field}_en": ""}) | models.Q(**{f"{field}_zh_hans": ""}))
    assert list(blank) == []


def test_mechanisms_explain_for_lay_reader_and_specialist():
    for mechanism in Mechanism.objects.all():
        assert mechanism.summary_en and mechanism.body_en, mechanism.slug


# --- identifiers -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("model", "field", "validator"),
    [
        (Molecule, "uniprot", validate_uniprot),
        (Molecule, "hgnc_id", validate_hgnc),
        (Molecule, "ncbi_gene_id", validate_ncbi_gene),
        (Condition, "icd10", validate_icd10),
        (Condition, "icd10_cm", validate_icd10),
        (Condition, "mesh_id", validate_mesh),
        (TherapyCategory, "mesh_id", validate_mesh),
        (Mechanism, "mesh_id", validate_mesh),
    ],
    ids=lambda value: getattr(value, "__name__", value if isinstance(value, str) else ""),
)
def test_identifiers_match_their_formats(model, field, validator):
    bad = []
    for value in model.objects.exclude(**{field: ""}).values_list(field, flat=True):
        try:
            validator(value)
        except ValidationError:
            bad.append(value)
    assert bad == []


def test_every_gene_product_has_all_three_identifiers():
    # PGE2 is a lipid, not a gene product, so it alone has none.
    incomplete = Molecule.objects.filter(models.Q(uniprot="") | models.Q(hgnc_id="") | models.Q(ncbi_gene_id=""))
    assert list(incomplete.values_list("symbol", flat=True)) == ["PGE2"]


def test_every_condition_has_a_code():
    uncoded = Condition.objects.filter(icd10="", icd10_cm="", mesh_id="")
    assert list(uncoded) == []


# --- files: slugs and links ------------------------------------------------------------------------
@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.filename)
def test_slugs_are_unique_and_readable(family):
    slugs = [record["slug"] for record in _records(family.filename)]
    assert len(slugs) == len(set(slugs))
    assert [slug for slug in slugs if not SLUG.match(slug)] == []


def _links(family, record):
    """(related model, slug) for every relation a record and its inline rows name."""
    def of(model, values):
        for key, value in values.items():
            try:
                field = model._meta.get_field(key)
            except Exception:  # noqa: S112 - translated and plain fields are not links
                continue
            if field.many_to_many:
                yield from ((field.related_model, slug) for slug in value or [])
            elif field.many_to_one and value:
                yield field.related_model, value

    yield from of(family.model, {k: v for k, v in record.items() if k not in family.children})
    for key, spec in family.children.items():
        for row in record.get(key) or []:
            yield from of(spec.model, row)


def test_every_link_resolves_to_an_item_in_the_dataset():
    by_model = _family_by_model()
    known = {family.model: {r["slug"] for r in _records(family.filename)} for family in FAMILIES}
    dangling = [
        (family.filename, record["slug"], model.__name__, slug)
        for family in FAMILIES
        for record in _records(family.filename)
        for model, slug in _links(family, record)
        if model not in by_model or slug not in known[model]
    ]
    assert dangling == []


def test_unverified_beliefs_are_not_stated():
    """Items under the fact sheet's `unverified:` list stay out of the data files."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(DATA_DIR.glob("*.yaml")))
    for belief in ["1850号", "奕凯达", "倍诺达", "福可苏", "源瑞达", "赛恺泽", "睿铂生", "amimestrocel", "CARTdb"]:
        assert belief not in text, belief


@pytest.mark.parametrize(
    ("slug", "agency", "shown"),
    [
        ("provenge", "fda", "2010-04"),
        ("maci", "fda", "2016-12"),
        ("holoclar", "ema", "2015-02"),
        ("ebvallo", "ema", "2022-12"),
        ("carteyva", "nmpa", "2021-09"),
        ("cartistem", "mfds", "2012-01"),
        ("cupistem", "mfds", "2012-01"),
    ],
)
def test_days_the_sheet_could_not_verify_are_not_invented(slug, agency, shown):
    approval = Approval.objects.filter(therapy__slug=slug, agency=agency).order_by("decided_on").first()
    assert (approval.decided_on_iso, approval.decided_on_precision) == (shown, DatePrecision.MONTH)


@pytest.mark.parametrize(
    ("slug", "field", "shown"),
    [
        ("cfda-cell-therapy-guideline-2017", "issued_on", "2017-12"),
        ("stem-cell-clinical-research-measures-2015", "issued_on", "2015"),
        ("japan-act-on-safety-of-regenerative-medicine", "effective_on", "2014-11"),
    ],
)
def test_policy_days_the_sheet_could_not_verify_are_not_invented(slug, field, shown):
    policy = PolicyDocument.objects.get(slug=slug)
    assert getattr(policy, f"{field}_iso") == shown
    assert getattr(policy, f"{field}_precision") != DatePrecision.DAY


# --- spot checks against the fact sheet -------------------------------------------------------------
def _approval(slug, agency):
    return Approval.objects.get(therapy__slug=slug, agency=agency)


def test_kymriah_first_fda_approval():
    approval = _approval("kymriah", "fda")
    assert (approval.decided_on_iso, approval.approval_type, approval.indication.slug) == (
        "2017-08-30", "full", "b-cell-acute-lymphoblastic-leukaemia")


def test_tecelra_day_is_disputed_so_only_the_month_is_shown():
    assert (_approval("tecelra", "fda").decided_on_iso, _approval("tecelra", "fda").decided_on_precision) == (
        "2024-08", DatePrecision.MONTH)


def test_carteyva_first_approval_keeps_month_precision():
    first = Approval.objects.filter(therapy__slug="carteyva").order_by("decided_on").first()
    assert (first.agency, first.decided_on_iso) == ("nmpa", "2021-09")


def test_quarter_precision_is_kept():
    approval = _approval("hrain-car-t", "nmpa")
    assert (approval.decided_on_precision, approval.decided_on_display) == (DatePrecision.QUARTER, "2025 Q3")


def test_chondrocelect_withdrawal():
    approval = _approval("chondrocelect", "ema")
    assert (approval.decided_on_iso, approval.status, approval.withdrawn_on.isoformat()) == (
        "2009-10-05", "withdrawn", "2016-07-29")


def test_provenge_eu_authorisation_and_withdrawal_are_years():
    approval = _approval("provenge", "ema")
    assert (approval.decided_on_iso, approval.withdrawn_on_display) == ("2013", "2015")


def test_fucaso_later_approvals_in_macao_and_hong_kong():
    assert [(a.agency, a.decided_on_iso) for a in Approval.objects.filter(therapy__slug="fucaso")] == [
        ("nmpa", "2023-06-30"), ("macao_isaf", "2025-03"), ("hk_dh", "2025-11")]


def test_bioeconomy_plan_issued_by_ndrc_without_an_unverified_number():
    plan = PolicyDocument.objects.get(slug="bioeconomy-14th-five-year-plan")
    assert [a.slug for a in plan.authorities.all()] == ["ndrc"]
    assert (plan.issued_on_iso, plan.document_number) == ("2022-05-10", "")
    assert plan.authorities.get().name_zh_hans == "国家发展和改革委员会"


def test_igf1_identifiers():
    igf1 = Molecule.objects.get(slug="igf1")
    assert (igf1.uniprot, igf1.hgnc_id, igf1.ncbi_gene_id) == ("P05019", "HGNC:5464", "3479")


def test_article_growth_factors_act_in_stem_cell_signalling():
    paracrine = Mechanism.objects.get(slug="paracrine-signalling")
    assert {"igf1", "tgfb1", "vegfa"} <= set(paracrine.molecules.values_list("slug", flat=True))


def test_knee_osteoarthritis_codes_and_products():
    knee = Condition.objects.get(slug="knee-osteoarthritis")
    assert (knee.icd10, knee.icd10_cm, knee.mesh_id) == ("M17", "M17", "D020370")
    assert {"maci", "chondrocelect", "spherox", "cartistem"} <= set(knee.therapies.values_list("slug", flat=True))


def test_cytokine_release_is_an_adverse_mechanism():
    assert Mechanism.objects.get(slug="cytokine-release").effect == "adverse"


def test_gvhd_keeps_both_code_systems():
    gvhd = Condition.objects.get(slug="graft-versus-host-disease")
    assert (gvhd.icd10, gvhd.icd10_cm, gvhd.mesh_id) == ("T86.0", "D89.81", "D006086")


def test_products_link_to_their_modality():
    cd19 = Therapy.objects.get(slug="autologous-cd19-car-t")
    assert {"kymriah", "yescarta", "yikaida"} <= set(cd19.products.values_list("slug", flat=True))
