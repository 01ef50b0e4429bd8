"""How categories, therapies, conditions, mechanisms and molecules read in the API.

Each reader gives the JSON of the serializer with the same name (see portal/api/reads.py)
from rows: one query for a page of list items, and for a detail one for the object with
its foreign keys plus one per relation, each from a `visible_to(user)` queryset.
"""

from __future__ import annotations

from portal.api.reads import COMMON_FIELDS, REFERENCE, Compact, Reader, iso_date, text_columns
from portal.dates import iso_partial_date
from portal.markdown import render_markdown
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


class CategoryReader(Reader):
    model, basename, compact = TherapyCategory, "category", CATEGORY
    list_fields = ("name", "position", "mesh_id", *COMMON_FIELDS)
    detail_fields = (*list_fields, "description")
    foreign_keys = {"parent": CATEGORY}

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("category", row["slug"]),
            "name": self.text(row, "name"),
            "parent": self.related(row, "parent"),
            "position": row["position"],
            "mesh_id": row["mesh_id"],
        }

    def item(self, row):
        return {**self.head(row), **self.common(row)}

    def detail(self, row):
        pk, description = row["id"], self.text(row, "description")
        linked = self.rows_together(
            children=(self.visible(TherapyCategory).filter(parent=pk), CATEGORY.columns()),
            therapies=(self.visible(Therapy).filter(category=pk), THERAPY.columns()),
            references=self.cited(pk),
        )
        return {
            **self.head(row),
            "description": description,
            "description_html": render_markdown(description),
            "children": self.compacts(linked["children"], CATEGORY),
            "therapies": self.compacts(linked["therapies"], THERAPY),
            "references": self.compacts(linked["references"], REFERENCE),
            **self.common(row),
        }


class TherapyReader(Reader):
    model, basename, compact = Therapy, "therapy", THERAPY
    list_fields = ("name", "kind", "stage", "cell_source", "generic_name", "developer", *COMMON_FIELDS)
    detail_fields = (*list_fields, "cell_type", "summary", "body", "last_reviewed_on")
    foreign_keys = {"category": CATEGORY, "modality": THERAPY}

    def item(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("therapy", row["slug"]),
            "name": self.text(row, "name"),
            "kind": row["kind"],
            "stage": row["stage"],
            "cell_source": row["cell_source"],
            "category": self.related(row, "category"),
            "modality": self.related(row, "modality"),
            "generic_name": row["generic_name"],
            "developer": self.text(row, "developer"),
            **self.common(row),
        }

    def detail(self, row):
        pk, body = row["id"], self.text(row, "body")
        mechanism_links = TherapyMechanism.objects.filter(therapy=pk, mechanism__in=self.visible(Mechanism))
        linked = self.rows_together(
            mechanisms=(mechanism_links, [*MECHANISM.columns("mechanism__"), *text_columns(TherapyMechanism, "role")]),
            conditions=(self.visible(Condition).filter(therapies=pk), CONDITION.columns()),
            target_molecules=(self.visible(Molecule).filter(targeted_by=pk), MOLECULE.columns()),
            references=self.cited(pk),
        )
        return {
            "slug": row["slug"],
            "url": self.api_url("therapy", row["slug"]),
            "name": self.text(row, "name"),
            "kind": row["kind"],
            "stage": row["stage"],
            "cell_source": row["cell_source"],
            "cell_type": self.text(row, "cell_type"),
            "category": self.related(row, "category"),
            "modality": self.related(row, "modality"),
            "generic_name": row["generic_name"],
            "developer": self.text(row, "developer"),
            "summary": self.text(row, "summary"),
            "body": body,
            "body_html": render_markdown(body),
            "approvals": self.approvals(pk),
            "mechanisms": [
                {"mechanism": self.compact_of(MECHANISM, link, "mechanism__"), "role": self.text(link, "role")}
                for link in linked["mechanisms"]
            ],
            "conditions": self.compacts(linked["conditions"], CONDITION),
            "target_molecules": self.compacts(linked["target_molecules"], MOLECULE),
            "references": self.compacts(linked["references"], REFERENCE),
            "last_reviewed_on": iso_date(row["last_reviewed_on"]),
            **self.common(row),
        }

    def approvals(self, pk: int) -> list[dict]:
        rows = Approval.objects.filter(therapy=pk).values(
            "agency", "decided_on", "decided_on_precision", "approval_type", "status",
            *text_columns(Approval, "indication_text"), "withdrawn_on", "withdrawn_on_precision",
            *CONDITION.columns("indication__"), *REFERENCE.columns("reference__"),
        )
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

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("condition", row["slug"]),
            "name": self.text(row, "name"),
            "icd10": row["icd10"],
            "icd10_cm": row["icd10_cm"],
            "mesh_id": row["mesh_id"],
        }

    def item(self, row):
        return {**self.head(row), **self.common(row)}

    def detail(self, row):
        pk, description = row["id"], self.text(row, "description")
        linked = self.rows_together(
            therapies=(self.visible(Therapy).filter(conditions=pk), THERAPY.columns()),
            references=self.cited(pk),
        )
        return {
            **self.head(row),
            "description": description,
            "description_html": render_markdown(description),
            "therapies": self.compacts(linked["therapies"], THERAPY),
            "references": self.compacts(linked["references"], REFERENCE),
            **self.common(row),
        }


class MechanismReader(Reader):
    model, basename, compact = Mechanism, "mechanism", MECHANISM
    list_fields = ("name", "effect", "mesh_id", *COMMON_FIELDS)
    detail_fields = (*list_fields, "summary", "body")

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("mechanism", row["slug"]),
            "name": self.text(row, "name"),
            "effect": row["effect"],
            "mesh_id": row["mesh_id"],
        }

    def item(self, row):
        return {**self.head(row), **self.common(row)}

    def detail(self, row):
        pk, body = row["id"], self.text(row, "body")
        molecule_links = MechanismMolecule.objects.filter(mechanism=pk, molecule__in=self.visible(Molecule))
        linked = self.rows_together(
            molecules=(molecule_links, [*MOLECULE.columns("molecule__"), *text_columns(MechanismMolecule, "role")]),
            therapies=(self.visible(Therapy).filter(mechanisms=pk), THERAPY.columns()),
            references=self.cited(pk),
        )
        return {
            **self.head(row),
            "summary": self.text(row, "summary"),
            "body": body,
            "body_html": render_markdown(body),
            "molecules": [
                {"molecule": self.compact_of(MOLECULE, link, "molecule__"), "role": self.text(link, "role")}
                for link in linked["molecules"]
            ],
            "therapies": self.compacts(linked["therapies"], THERAPY),
            "references": self.compacts(linked["references"], REFERENCE),
            **self.common(row),
        }


class MoleculeReader(Reader):
    model, basename, compact = Molecule, "molecule", MOLECULE
    list_fields = ("symbol", "name", "kind", "aliases", "uniprot", "hgnc_id", "ncbi_gene_id", *COMMON_FIELDS)
    detail_fields = (*list_fields, "description")

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

    def item(self, row):
        return {**self.head(row), **self.common(row)}

    def detail(self, row):
        pk, description = row["id"], self.text(row, "description")
        linked = self.rows_together(
            mechanisms=(self.visible(Mechanism).filter(molecules=pk), MECHANISM.columns()),
            therapies=(self.visible(Therapy).filter(target_molecules=pk), THERAPY.columns()),
            references=self.cited(pk),
        )
        return {
            **self.head(row),
            "description": description,
            "description_html": render_markdown(description),
            "mechanisms": self.compacts(linked["mechanisms"], MECHANISM),
            "therapies": self.compacts(linked["therapies"], THERAPY),
            "references": self.compacts(linked["references"], REFERENCE),
            **self.common(row),
        }
