"""A small published world for the public site tests, with a draft beside each kind of item."""

import datetime

import pytest

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


@pytest.fixture
def world(db):
    """Published items linked to each other, and drafts linked to the same pages."""
    reference = ReferenceFactory(title="Label of the product")
    root = TherapyCategoryFactory(name_en="Stem cell therapy", name_zh_hans="干细胞治疗", slug="stem-cell-therapy")
    child = TherapyCategoryFactory(name_en="Mesenchymal stem cells", name_zh_hans="间充质干细胞", parent=root,
                                   slug="msc")
    draft_category = TherapyCategoryFactory(name_en="Secret category", parent=root, status="draft")
    knee = ConditionFactory(name_en="Knee osteoarthritis", name_zh_hans="膝骨关节炎", slug="knee-osteoarthritis",
                            description_en="Wear of the knee's cartilage.",
                            description_zh_hans="膝骨关节炎是软骨的磨损。")
    draft_condition = ConditionFactory(name_en="Hidden disease", status="draft")
    igf = MoleculeFactory(symbol="IGF1", name_en="Insulin-like growth factor 1", aliases="IGF-I",
                          uniprot="P05019", hgnc_id="HGNC:5464", ncbi_gene_id="3479", slug="igf1")
    draft_molecule = MoleculeFactory(symbol="SECRET1", status="draft")
    paracrine = MechanismFactory(name_en="Paracrine signalling", name_zh_hans="旁分泌信号", slug="paracrine-signalling",
                                 summary_en="Cells release growth factors that help tissue repair.")
    MechanismMoleculeFactory(mechanism=paracrine, molecule=igf, role_en="Stimulates cartilage repair.")
    MechanismMoleculeFactory(mechanism=paracrine, molecule=draft_molecule)
    draft_mechanism = MechanismFactory(name_en="Unreviewed mechanism", status="draft")
    cartistem = TherapyFactory(
        name_en="Cartistem", name_zh_hans="Cartistem", category=child, slug="cartistem",
        summary_en="Allogeneic stem cells from umbilical cord blood for knee cartilage defects.",
        summary_zh_hans="用于膝关节软骨缺损的异体脐带血干细胞。", references=[reference],
        last_reviewed_on=datetime.date(2024, 6, 1),
    )
    cartistem.conditions.add(knee, draft_condition)
    cartistem.target_molecules.add(igf, draft_molecule)
    TherapyMechanismFactory(therapy=cartistem, mechanism=paracrine, role_en="Secretes growth factors.")
    TherapyMechanismFactory(therapy=cartistem, mechanism=draft_mechanism)
    ApprovalFactory(therapy=cartistem, agency="mfds", decided_on=datetime.date(2012, 1, 1),
                    decided_on_precision="month", condition=knee, reference=reference)
    ApprovalFactory(therapy=cartistem, agency="ema", decided_on=datetime.date(2015, 4, 1),
                    decided_on_precision="quarter", condition=knee,
                    withdrawn_on=datetime.date(2019, 1, 1), withdrawn_on__precision="year")
    investigational = TherapyFactory(name_en="Knee stem cell injection", category=child, stage="phase_2",
                                     slug="knee-stem-cell-injection")
    investigational.conditions.add(knee)
    draft_therapy = TherapyFactory(name_en="Draft product", category=child, status="draft", slug="draft-product")
    draft_therapy.conditions.add(knee)
    ApprovalFactory(therapy=draft_therapy, agency="nmpa", decided_on=datetime.date(2020, 5, 5), condition=knee)
    ministry = AuthorityFactory(
        name_en="National Development and Reform Commission", name_zh_hans="国家发展和改革委员会",
        abbreviation_en="NDRC", jurisdiction="CN", slug="ndrc",
    )
    draft_authority = AuthorityFactory(name_en="Hidden agency", jurisdiction="US", status="draft")
    old_plan = PolicyDocumentFactory(title_en="Earlier bioeconomy plan", title_zh_hans="生物产业发展规划",
                                     authorities=[ministry], issued_on=datetime.date(2012, 12, 29), slug="old-plan")
    plan = PolicyDocumentFactory(
        title_en="14th Five-Year Plan for Bioeconomy Development", title_zh_hans="“十四五”生物经济发展规划",
        title_original="“十四五”生物经济发展规划", document_number="发改高技〔2021〕1850号",
        authorities=[ministry, draft_authority], doc_type="plan", issued_on=datetime.date(2021, 12, 20),
        summary_en="Names cell therapy among the frontier technologies the state will support.",
        summary_zh_hans="将细胞治疗列为国家支持的前沿技术之一。", supersedes=old_plan, slug="bioeconomy-plan",
        source_url="https://example.org/plan",
    )
    plan.categories.add(root, draft_category)
    plan.therapies.add(cartistem, draft_therapy)
    KeyProvisionFactory(policy=plan, heading_en="Cell therapy", text_en="Supports research on stem cells.")
    draft_policy = PolicyDocumentFactory(title_en="Draft guideline on secrets", authorities=[ministry],
                                         status="draft", slug="draft-guideline", issued_on=datetime.date(2023, 1, 1))
    draft_policy.categories.add(root)
    return {
        "root": root, "child": child, "draft_category": draft_category, "knee": knee,
        "draft_condition": draft_condition, "igf": igf, "draft_molecule": draft_molecule, "paracrine": paracrine,
        "draft_mechanism": draft_mechanism, "cartistem": cartistem, "investigational": investigational,
        "draft_therapy": draft_therapy, "ministry": ministry, "draft_authority": draft_authority, "plan": plan,
        "old_plan": old_plan, "draft_policy": draft_policy, "reference": reference,
    }
