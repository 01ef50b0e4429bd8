"""How categories, therapies, conditions, mechanisms and molecules read in the API.

Each reader gives the JSON of the serializer with the same name (see portal/api/reads.py)
from rows: one query for a page of list items; for a detail one for the object with its
foreign keys, one for all its relations, and one for a therapy's approvals.
"""

from __future__ import annotations

from portal.api.reads import COMMON_FIELDS, REFERENCE, Compact, Reader, iso_date, text_columns
from portal.dates import iso_partial_date
from therapies.api import serializers as s
from therapies.choices import AGENCY_JURISDICTION
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

CATEGORY = Compact.of(s.CategoryCompactSerializer)
THERAPY = Compact.of(s.TherapyCompactSerializer)
CONDITION = Compact.of(s.ConditionCompactSerializer)
MECHANISM = Compact.of(s.MechanismCompactSerializer)
MOLECULE = Compact.of(s.MoleculeCompactSerializer)

APPROVAL_COLUMNS = [
    "agency", "decided_on", "decided_on_precision", "approval_type", "status",
    *text_columns(Approval, "indication_text"), "withdrawn_on", "withdrawn_on_precision",
    *CONDITION.columns("indication__"), *REFERENCE.columns("reference__"),
]


class CategoryReader(Reader):
    model, basename, compact = TherapyCategory, "category", CATEGORY
    list_fields = ("name", "position", "mesh_id", *COMMON_FIELDS)
    detail_fields = (*list_fields, "description")
    foreign_keys = {"parent": CATEGORY}
    relations = {"children": CATEGORY, "therapies": THERAPY, "references": REFERENCE}

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("category", row["slug"]),
            "name": self.text(row, "name"),
            "parent": self.related(row, "parent"),
            "position": row["position"],
            "mesh_id": row["mesh_id"],
        }

    def relation_querysets(self, pk):
        return {
            "children": self.visible(TherapyCategory).filter(parent=pk),
            "therapies": self.visible(Therapy).filter(category=pk),
            "references": self.cited(pk),
        }

    def detail(self, row, linked):
        return {**self.head(row), **self.markdown(row, "description"), **linked, **self.common(row)}


class TherapyReader(Reader):
    model, basename, compact = Therapy, "therapy", THERAPY
    list_fields = ("name", "kind", "stage", "cell_source", "generic_name", "developer", *COMMON_FIELDS)
    detail_fields = (*list_fields, "cell_type", "summary", "body", "last_reviewed_on")
    foreign_keys = {"category": CATEGORY, "modality": THERAPY}
    relations = {
        "mechanisms": [*MECHANISM.columns("mechanism__"), *text_columns(TherapyMechanism, "role")],
        "conditions": CONDITION,
        "target_molecules": MOLECULE,
        "references": REFERENCE,
    }

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("therapy", row["slug"]),
            "name": self.text(row, "name"),
            "kind": row["kind"],
            "stage": row["stage"],
            "cell_source": row["cell_source"],
        }

    def item(self, row):
        return {
            **self.head(row),
            "category": self.related(row, "category"),
            "modality": self.related(row, "modality"),
            "generic_name": row["generic_name"],
            "developer": self.text(row, "developer"),
            **self.common(row),
        }

    def relation_querysets(self, pk):
        return {
            "mechanisms": TherapyMechanism.objects.filter(therapy=pk, mechanism__in=self.visible(Mechanism)),
            "conditions": self.visible(Condition).filter(therapies=pk),
            "target_molecules": self.visible(Molecule).filter(targeted_by=pk),
            "references": self.cited(pk),
        }

    def detail(self, row, linked):
        return {
            **self.head(row),
            "cell_type": self.text(row, "cell_type"),
            "category": self.related(row, "category"),
            "modality": self.related(row, "modality"),
            "generic_name": row["generic_name"],
            "developer": self.text(row, "developer"),
            "summary": self.text(row, "summary"),
            **self.markdown(row, "body"),
            "approvals": self.approvals(row["id"]),
            "mechanisms": [
                {"mechanism": self.compact_of(MECHANISM, link, "mechanism__"), "role": self.text(link, "role")}
                for link in linked["mechanisms"]
            ],
            "conditions": linked["conditions"],
            "target_molecules": linked["target_molecules"],
            "references": linked["references"],
            "last_reviewed_on": iso_date(row["last_reviewed_on"]),
            **self.common(row),
        }

    def approvals(self, pk: int) -> list[dict]:
        rows = self.fetch("approvals", lambda pk: Approval.objects.filter(therapy=pk), APPROVAL_COLUMNS, pk=pk)
        return [{
            "agency": row["agency"],
            "jurisdiction": AGENCY_JURISDICTION[row["agency"]],
            "date": iso_partial_date(row["decided_on"], row["decided_on_precision"]),
            "date_precision": row["decided_on_precision"],
            "approval_type": row["approval_type"],
            "status": row["status"],
            "indication": self.compact_of(CONDITION, row, "indication__"),
            "indication_text": self.text(row, "indication_text"),
            "withdrawn_on": iso_partial_date(row["withdrawn_on"], row["withdrawn_on_precision"]),
            "withdrawn_on_precision": row["withdrawn_on_precision"],
            "reference": self.compact_of(REFERENCE, row, "reference__"),
        } for row in rows]


class ConditionReader(Reader):
    model, basename, compact = Condition, "condition", CONDITION
    list_fields = ("name", "icd10", "icd10_cm", "mesh_id", *COMMON_FIELDS)
    detail_fields = (*list_fields, "description")
    relations = {"therapies": THERAPY, "references": REFERENCE}

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("condition", row["slug"]),
            "name": self.text(row, "name"),
            "icd10": row["icd10"],
            "icd10_cm": row["icd10_cm"],
            "mesh_id": row["mesh_id"],
        }

    def relation_querysets(self, pk):
        return {"therapies": self.visible(Therapy).filter(conditions=pk), "references": self.cited(pk)}

    def detail(self, row, linked):
        return {**self.head(row), **self.markdown(row, "description"), **linked, **self.common(row)}


class MechanismReader(Reader):
    model, basename, compact = Mechanism, "mechanism", MECHANISM
    list_fields = ("name", "effect", "mesh_id", *COMMON_FIELDS)
    detail_fields = (*list_fields, "summary", "body")
    relations = {
        "molecules": [*MOLECULE.columns("molecule__"), *text_columns(MechanismMolecule, "role")],
        "therapies": THERAPY,
        "references": REFERENCE,
    }

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("mechanism", row["slug"]),
            "name": self.text(row, "name"),
            "effect": row["effect"],
            "mesh_id": row["mesh_id"],
        }

    def relation_querysets(self, pk):
        return {
            "molecules": MechanismMolecule.objects.filter(mechanism=pk, molecule__in=self.visible(Molecule)),
            "therapies": self.visible(Therapy).filter(mechanisms=pk),
            "references": self.cited(pk),
        }

    def detail(self, row, linked):
        molecules = [{"molecule": self.compact_of(MOLECULE, link, "molecule__"), "role": self.text(link, "role")}
                     for link in linked["molecules"]]
        return {
            **self.head(row),
            "summary": self.text(row, "summary"),
            **self.markdown(row, "body"),
            "molecules": molecules,
            "therapies": linked["therapies"],
            "references": linked["references"],
            **self.common(row),
        }


class MoleculeReader(Reader):
    model, basename, compact = Molecule, "molecule", MOLECULE
    list_fields = ("symbol", "name", "kind", "aliases", "uniprot", "hgnc_id", "ncbi_gene_id", *COMMON_FIELDS)
    detail_fields = (*list_fields, "description")
    relations = {"mechanisms": MECHANISM, "therapies": THERAPY, "references": REFERENCE}

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("molecule", row["slug"]),
            "symbol": row["symbol"],
            "name": self.text(row, "name"),
            "kind": row["kind"],
            "aliases": row["aliases"],
            "uniprot": row["uniprot"],
            "hgnc": row["hgnc_id"],
            "ncbi_gene": row["ncbi_gene_id"],
        }

    def relation_querysets(self, pk):
        return {
            "mechanisms": self.visible(Mechanism).filter(molecules=pk),
            "therapies": self.visible(Therapy).filter(target_molecules=pk),
            "references": self.cited(pk),
        }

    def detail(self, row, linked):
        return {**self.head(row), **self.markdown(row, "description"), **linked, **self.common(row)}
