"""Synthetic content at scale, for the benchmark and for profiling; never for `make run`.

Deterministic for a given seed. Rows are written with `bulk_create` in batches, so a
hundred thousand policies take seconds, not an hour of model saves. Every seeded row has a
slug starting with `demo-`, so `--clear` removes exactly what was seeded. It lives in the
policies app because that app is the one above therapies: it may write both apps' data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from policies.models import Authority, KeyProvision, PolicyDocument
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

PREFIX = "demo-"
BATCH = 2000

EN_WORDS = (
    "autologous allogeneic mesenchymal stromal stem cell therapy chimeric antigen receptor lymphoma leukaemia "
    "myeloma cartilage knee osteoarthritis regeneration paracrine signalling homing migration differentiation "
    "immunomodulation cytotoxicity cytokine release manufacturing quality clinical trial registration guidance "
    "regulation ethics donor consent biobank potency release testing hospital exemption conditional approval "
    "accelerated pathway orphan indication relapsed refractory infusion expansion engineering vector safety "
    "follow-up pharmacovigilance reimbursement innovation bioeconomy provincial pilot zone"
).split()
ZH_WORDS = (
    "干细胞 间充质 细胞治疗 免疫 嵌合抗原受体 淋巴瘤 白血病 骨髓瘤 软骨 骨关节炎 再生医学 旁分泌 归巢 分化 "
    "免疫调节 细胞毒性 细胞因子 生产 质量 临床试验 注册 指导原则 监管 伦理 供者 知情同意 生物样本库 效力 放行检验 "
    "医疗机构 附条件批准 优先审评 罕见病 适应症 复发 难治 输注 扩增 工程化 载体 安全性 随访 药物警戒 医保 创新 "
    "生物经济 省级 先行区 备案 技术规范"
).split()


@dataclass(frozen=True)
class SeedPlan:
    therapies: int = 20000
    policies: int = 100000
    draft_share: float = 0.1
    seed: int = 2026


def _sentence(rng: random.Random, words: list[str], count: int, joiner: str = " ") -> str:
    return joiner.join(rng.choice(words) for _ in range(count))


def _date(rng: random.Random, first_year: int = 2000, last_year: int = 2026) -> datetime.date:
    return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


class Seeder:
    def __init__(self, plan: SeedPlan):
        self.plan = plan
        self.rng = random.Random(plan.seed)  # noqa: S311 - reproducible demo data, not secrets

    def status(self) -> str:
        return "draft" if self.rng.random() < self.plan.draft_share else "published"

    def bilingual(self, en_words: int, zh_words: int) -> dict[str, str]:
        return {
            "en": _sentence(self.rng, EN_WORDS, en_words).capitalize() + ".",
            "zh": _sentence(self.rng, ZH_WORDS, zh_words, joiner="") + "。",
        }

    @transaction.atomic
    def run(self) -> dict[str, int]:
        references = self._bulk(Reference, [
            Reference(slug=f"{PREFIX}ref-{i}", title=f"Synthetic source {i}", year=2000 + i % 26,
                      url=f"https://example.org/demo/{i}", status="published")
            for i in range(200)
        ])
        categories = self._categories()
        molecules = self._bulk(Molecule, [
            Molecule(slug=f"{PREFIX}mol-{i}", symbol=f"DM{i}", name_en=f"Demo molecule {i}",
                     name_zh_hans=f"示例分子{i}", kind="cytokine", status="published")
            for i in range(300)
        ])
        conditions = self._bulk(Condition, [
            Condition(slug=f"{PREFIX}cond-{i}", name_en=f"Demo condition {i}", name_zh_hans=f"示例疾病{i}",
                      status="published")
            for i in range(500)
        ])
        mechanisms = self._mechanisms(molecules)
        therapies = self._therapies(categories, molecules, conditions, mechanisms, references)
        policies = self._policies(categories, therapies, references)
        return {"references": len(references), "categories": len(categories), "molecules": len(molecules),
                "conditions": len(conditions), "mechanisms": len(mechanisms), "therapies": len(therapies),
                "policies": policies}

    def _regulators(self) -> list[Authority]:
        """Demo regulators (the curated ones may not be loaded), one per jurisdiction."""
        return self._bulk(Authority, [
            Authority(slug=f"{PREFIX}regulator-{code.lower()}", name_en=f"Demo regulator {code}",
                      name_zh_hans=f"示例监管机构{code}", abbreviation_en=f"DR-{code}", jurisdiction=code,
                      level="national", is_regulator=True, status="published")
            for code in ("US", "EU", "CN", "JP", "KR", "CA")
        ])

    def _bulk(self, model, rows):
        # bulk_create skips save(), so stamp first publication the way save() would.
        now = timezone.now()
        for row in rows:
            if getattr(row, "status", None) == "published" and row.published_at is None:
                row.published_at = now
        return model.objects.bulk_create(rows, batch_size=BATCH)

    def _categories(self):
        roots = self._bulk(TherapyCategory, [
            TherapyCategory(slug=f"{PREFIX}family-{i}", name_en=f"Demo family {i}", name_zh_hans=f"示例类别{i}",
                            position=i, status="published")
            for i in range(4)
        ])
        return roots + self._bulk(TherapyCategory, [
            TherapyCategory(slug=f"{PREFIX}category-{i}", name_en=f"Demo category {i}",
                            name_zh_hans=f"示例子类{i}", parent=roots[i % 4], position=i, status=self.status())
            for i in range(40)
        ])

    def _mechanisms(self, molecules):
        mechanisms = self._bulk(Mechanism, [
            Mechanism(slug=f"{PREFIX}mech-{i}", name_en=f"Demo mechanism {i}", name_zh_hans=f"示例机制{i}",
                      summary_en=self.bilingual(20, 0)["en"], status="published")
            for i in range(30)
        ])
        self._bulk(MechanismMolecule, [
            MechanismMolecule(mechanism=mechanism, molecule=molecule, role_en="Signals to nearby cells.",
                              position=position)
            for mechanism in mechanisms
            for position, molecule in enumerate(self.rng.sample(molecules, 5))
        ])
        return mechanisms

    def _therapies(self, categories, molecules, conditions, mechanisms, references):
        rows = []
        for i in range(self.plan.therapies):
            summary, body = self.bilingual(25, 20), self.bilingual(120, 90)
            rows.append(Therapy(
                slug=f"{PREFIX}therapy-{i}", name_en=f"Demo therapy {i} {self.rng.choice(EN_WORDS)}",
                name_zh_hans=f"示例疗法{i}{self.rng.choice(ZH_WORDS)}", kind="product",
                category=self.rng.choice(categories), cell_source=self.rng.choice(["autologous", "allogeneic"]),
                stage=self.rng.choice(["phase_1", "phase_2", "phase_3", "approved"]),
                developer_en=f"Demo Bio {i % 500}", summary_en=summary["en"], summary_zh_hans=summary["zh"],
                body_en=body["en"], body_zh_hans=body["zh"], status=self.status(),
            ))
        therapies = self._bulk(Therapy, rows)
        regulators = self._regulators()
        approved = [therapy for therapy in therapies if therapy.stage == "approved"]
        self._bulk(Approval, [
            Approval(slug=f"{therapy.slug}-approval-{n}", therapy=therapy, regulator=self.rng.choice(regulators),
                     decided_on=_date(self.rng, 2010), pathway="standard", condition=self.rng.choice(conditions))
            for therapy in approved
            for n in range(self.rng.randint(1, 3))
        ])
        self._bulk(TherapyMechanism, [
            TherapyMechanism(therapy=therapy, mechanism=mechanism, role_en="Acts through this route.",
                             position=position)
            for therapy in therapies
            for position, mechanism in enumerate(self.rng.sample(mechanisms, 2))
        ])
        self._bulk(Therapy.target_molecules.through, [
            Therapy.target_molecules.through(therapy_id=therapy.pk, molecule_id=self.rng.choice(molecules).pk)
            for therapy in therapies
        ])
        self._bulk(Therapy.conditions.through, [
            Therapy.conditions.through(therapy_id=therapy.pk, condition_id=self.rng.choice(conditions).pk)
            for therapy in therapies
        ])
        self._bulk(Therapy.references.through, [
            Therapy.references.through(therapy_id=therapy.pk, reference_id=self.rng.choice(references).pk)
            for therapy in therapies
        ])
        return therapies

    def _policies(self, categories, therapies, references) -> int:
        jurisdictions = ["CN", "CN", "CN", "CN-HI", "US", "EU", "JP", "KR"]
        authorities = self._bulk(Authority, [
            Authority(slug=f"{PREFIX}authority-{i}", name_en=f"Demo authority {i}", name_zh_hans=f"示例机构{i}",
                      jurisdiction=jurisdictions[i % len(jurisdictions)], level="provincial", status="published")
            for i in range(120)
        ])
        doc_types = ["law", "regulation", "plan", "guideline", "technical_standard", "notice"]
        created = 0
        for start in range(0, self.plan.policies, BATCH * 5):
            rows = []
            for i in range(start, min(start + BATCH * 5, self.plan.policies)):
                summary, body = self.bilingual(30, 25), self.bilingual(150, 110)
                issued = _date(self.rng)
                rows.append(PolicyDocument(
                    slug=f"{PREFIX}policy-{i}",
                    title_en=f"Demo notice {i} on {self.rng.choice(EN_WORDS)} {self.rng.choice(EN_WORDS)}",
                    title_zh_hans=f"关于{self.rng.choice(ZH_WORDS)}{self.rng.choice(ZH_WORDS)}的通知{i}",
                    doc_type=self.rng.choice(doc_types), legal_status="in_force",
                    issued_on=issued, effective_on=issued + datetime.timedelta(days=self.rng.randint(0, 90)),
                    summary_en=summary["en"], summary_zh_hans=summary["zh"], body_en=body["en"],
                    body_zh_hans=body["zh"], status=self.status(),
                ))
            policies = self._bulk(PolicyDocument, rows)
            self._bulk(PolicyDocument.authorities.through, [
                PolicyDocument.authorities.through(policydocument_id=p.pk, authority_id=self.rng.choice(authorities).pk)
                for p in policies
            ])
            self._bulk(PolicyDocument.categories.through, [
                PolicyDocument.categories.through(policydocument_id=p.pk,
                                                  therapycategory_id=self.rng.choice(categories).pk)
                for p in policies
            ])
            self._bulk(PolicyDocument.therapies.through, [
                PolicyDocument.therapies.through(policydocument_id=p.pk, therapy_id=self.rng.choice(therapies).pk)
                for p in policies if therapies and self.rng.random() < 0.2
            ])
            self._bulk(PolicyDocument.references.through, [
                PolicyDocument.references.through(policydocument_id=p.pk, reference_id=self.rng.choice(references).pk)
                for p in policies
            ])
            self._bulk(KeyProvision, [
                KeyProvision(policy=p, position=n, heading_en=f"Article {n + 1}",
                             text_en=self.bilingual(25, 0)["en"], text_zh_hans=self.bilingual(0, 20)["zh"])
                for p in policies for n in range(2)
            ])
            created += len(policies)
        return created


@transaction.atomic
def clear_seeded() -> None:
    """Remove everything a previous seed_demo wrote (and nothing else)."""
    PolicyDocument.objects.filter(slug__startswith=PREFIX).delete()
    Therapy.objects.filter(slug__startswith=PREFIX).delete()
    Authority.objects.filter(slug__startswith=PREFIX).delete()
    for model in (Mechanism, Condition, Molecule, Reference):
        model.objects.filter(slug__startswith=PREFIX).delete()
    TherapyCategory.objects.filter(slug__startswith=PREFIX, parent__isnull=False).delete()
    TherapyCategory.objects.filter(slug__startswith=PREFIX).delete()


def seed_demo(plan: SeedPlan, *, clear: bool = True) -> dict[str, int]:
    if clear:
        clear_seeded()
    return Seeder(plan).run()
