"""How authorities and policy documents read in the API (see portal/api/reads.py).

A page of policies takes two queries: the documents, then the visible issuers of the
whole page. A detail takes one for the object (a document with the one it supersedes),
one for all its relations, and one for a document's key provisions.
"""

from __future__ import annotations

from policies.api import serializers as s
from policies.models import Authority, KeyProvision, PolicyDocument
from portal.api.reads import COMMON_FIELDS, REFERENCE, Compact, Reader, text_columns
from portal.dates import iso_partial_date
from therapies.api.reads import CATEGORY, THERAPY
from therapies.models import Therapy, TherapyCategory

AUTHORITY = Compact.of(s.AuthorityCompactSerializer)
POLICY = Compact.of(s.PolicyCompactSerializer)
# Besides its compact form, a document reads its issuers' jurisdictions.
ISSUER_EXTRA = ("jurisdiction",)
PROVISION_COLUMNS = ["position", *text_columns(KeyProvision, "heading"), *text_columns(KeyProvision, "text")]


class AuthorityReader(Reader):
    model, basename, compact = Authority, "authority", AUTHORITY
    list_fields = ("name", "abbreviation", "jurisdiction", "level", "website", *COMMON_FIELDS)
    detail_fields = (*list_fields, "description")
    relations = {"documents": POLICY, "references": REFERENCE}

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("authority", row["slug"]),
            "name": self.text(row, "name"),
            "abbreviation": self.text(row, "abbreviation"),
            "jurisdiction": row["jurisdiction"],
            "level": row["level"],
            "website": row["website"],
        }

    def relation_querysets(self, pk):
        return {"documents": self.visible(PolicyDocument).filter(authorities=pk), "references": self.cited(pk)}

    def detail(self, row, linked):
        return {**self.head(row), **self.markdown(row, "description"), **linked, **self.common(row)}


class PolicyReader(Reader):
    model, basename, compact = PolicyDocument, "policy", POLICY
    list_fields = (
        "title", "title_original", "document_number", "doc_type", "legal_status", "issued_on",
        "issued_on_precision", "effective_on", "effective_on_precision", *COMMON_FIELDS,
    )
    detail_fields = (*list_fields, "summary", "body", "source_url")
    detail_foreign_keys = {"supersedes": POLICY}
    relations = {
        "issuers": [*AUTHORITY.columns(), *ISSUER_EXTRA],
        "superseded_by": POLICY,
        "categories": CATEGORY,
        "therapies": THERAPY,
        "references": REFERENCE,
    }

    def load_list_relations(self, rows):
        issuers = self.issuers([row["id"] for row in rows])
        for row in rows:
            row["issuers"] = issuers.get(row["id"], [])

    def issuers(self, ids: list[int]) -> dict[int, list[tuple[dict, dict]]]:
        """The visible issuing authorities of each document, in the authorities' order."""
        queryset = self.visible(Authority).filter(documents__in=ids)
        return self.compacts_by(queryset, AUTHORITY, owner="documents", extra=ISSUER_EXTRA)

    def head(self, row):
        issuers = row["issuers"]
        return {
            "slug": row["slug"],
            "url": self.api_url("policy", row["slug"]),
            "title": self.text(row, "title"),
            "title_original": row["title_original"],
            "document_number": row["document_number"],
            "doc_type": row["doc_type"],
            "legal_status": row["legal_status"],
            "issued_on": iso_partial_date(row["issued_on"], row["issued_on_precision"]),
            "issued_on_precision": row["issued_on_precision"],
            "effective_on": iso_partial_date(row["effective_on"], row["effective_on_precision"]),
            "effective_on_precision": row["effective_on_precision"],
            "authorities": [compact for compact, _row in issuers],
            "jurisdictions": sorted({issuer["jurisdiction"] for _compact, issuer in issuers}),
        }

    def relation_querysets(self, pk):
        return {
            "issuers": self.visible(Authority).filter(documents=pk),
            "superseded_by": self.visible(PolicyDocument).filter(supersedes=pk),
            "categories": self.visible(TherapyCategory).filter(policies=pk),
            "therapies": self.visible(Therapy).filter(policies=pk),
            "references": self.cited(pk),
        }

    def detail(self, row, linked):
        row["issuers"] = [(self.compact_of(AUTHORITY, issuer), issuer) for issuer in linked["issuers"]]
        provisions = self.fetch("provisions", lambda pk: KeyProvision.objects.filter(policy=pk),
                                PROVISION_COLUMNS, pk=row["id"])
        return {
            **self.head(row),
            "summary": self.text(row, "summary"),
            **self.markdown(row, "body"),
            "provisions": [
                {"position": provision["position"], "heading": self.text(provision, "heading"),
                 "text": self.text(provision, "text")}
                for provision in provisions
            ],
            "source_url": row["source_url"],
            "supersedes": self.related(row, "supersedes"),
            "superseded_by": linked["superseded_by"],
            "categories": linked["categories"],
            "therapies": linked["therapies"],
            "references": linked["references"],
            **self.common(row),
        }
