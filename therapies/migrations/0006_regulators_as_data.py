"""Issue 13, part 2: today's approvals in the new shape, and back.

Forward: each `agency` code becomes a regulator record (an authority with `is_regulator`,
slug = the code, so API slugs stay), `approval_type` becomes `pathway` (full -> standard),
a withdrawn approval gets a `withdrawn` event on its withdrawal date, and every approval a
slug. Backward: the regulator's slug is the agency code again, the pathway the approval
type where the old model had one, and the latest status-setting event the old
status/withdrawn_on (the old model knew only active and withdrawn). Regulators this
migration created, and that nothing else uses, are removed again.
"""

from django.db import migrations
from django.utils.text import slugify

CREATED_NOTE = "Created by migration therapies 0006 from the former agency code."

# code: (jurisdiction, level, name en, name zh-hans, abbreviation en, abbreviation zh-hans)
AGENCIES = {
    "fda": ("US", "national", "U.S. Food and Drug Administration", "美国食品药品监督管理局", "FDA", "FDA"),
    "ema": ("EU", "international", "European Commission, on the opinion of the European Medicines Agency",
            "欧盟委员会（依据欧洲药品管理局意见）", "EMA / EC", "EMA / 欧盟委员会"),
    "nmpa": ("CN", "national", "National Medical Products Administration", "国家药品监督管理局", "NMPA", "国家药监局"),
    "pmda": ("JP", "national", "Ministry of Health, Labour and Welfare, on the review of the PMDA",
             "日本厚生劳动省（依据医药品医疗器械综合机构审评）", "MHLW / PMDA", "厚生劳动省 / PMDA"),
    "mfds": ("KR", "national", "Ministry of Food and Drug Safety", "韩国食品医药品安全处", "MFDS", "MFDS"),
    "health_canada": ("CA", "national", "Health Canada", "加拿大卫生部", "Health Canada", "加拿大卫生部"),
    "hk_dh": ("CN-HK", "national", "Department of Health, Hong Kong SAR", "香港特别行政区卫生署", "DH (Hong Kong)",
              "香港卫生署"),
    "macao_isaf": ("CN-MO", "national", "Macao SAR pharmaceutical regulator (ISAF)",
                   "澳门特别行政区药物监督管理局", "ISAF", "澳门药监局"),
}
TYPE_TO_PATHWAY = {"full": "standard", "accelerated": "accelerated", "conditional": "conditional",
                   "conditional_time_limited": "conditional_time_limited"}
PATHWAY_TO_TYPE = {pathway: kind for kind, pathway in TYPE_TO_PATHWAY.items()}
STATUS_EVENTS = ("granted", "converted_to_standard", "renewed", "reinstated", "suspended", "expired", "lapsed",
                 "withdrawn", "revoked", "discontinued")


def forward(apps, schema_editor):
    Authority = apps.get_model("policies", "Authority")
    Approval = apps.get_model("therapies", "Approval")
    ApprovalEvent = apps.get_model("therapies", "ApprovalEvent")
    regulators = {}
    for code in Approval.objects.values_list("agency", flat=True).distinct():
        jurisdiction, level, name_en, name_zh, abbr_en, abbr_zh = AGENCIES[code]
        regulator = Authority.objects.filter(slug=code).first()
        if regulator is None:
            regulator = Authority.objects.create(
                slug=code, name=name_en, name_en=name_en, name_zh_hans=name_zh, abbreviation=abbr_en,
                abbreviation_en=abbr_en, abbreviation_zh_hans=abbr_zh, jurisdiction=jurisdiction, level=level,
                status="published", internal_note=CREATED_NOTE,
            )
        regulator.is_regulator = True
        regulator.save(update_fields=["is_regulator"])
        regulators[code] = regulator
    taken = set()
    for approval in Approval.objects.select_related("therapy", "condition").order_by("id"):
        approval.regulator = regulators[approval.agency]
        approval.pathway = TYPE_TO_PATHWAY.get(approval.approval_type, "")
        parts = [approval.therapy.slug, approval.agency, approval.condition.slug if approval.condition else "",
                 str(approval.decided_on.year)]
        base = slugify("-".join(p for p in parts if p).replace("_", "-"))[:190]
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        taken.add(slug)
        approval.slug = slug
        approval.save(update_fields=["regulator", "pathway", "slug"])
        if approval.status == "withdrawn":
            ApprovalEvent.objects.create(
                approval=approval, kind="withdrawn",
                date=approval.withdrawn_on or approval.decided_on,
                date_precision=approval.withdrawn_on_precision if approval.withdrawn_on else approval.decided_on_precision,
            )
            if not approval.withdrawn_on:
                approval.internal_note = "Withdrawal date not recorded before the migration; the event carries the decision date."
                approval.save(update_fields=["internal_note"])


def backward(apps, schema_editor):
    Authority = apps.get_model("policies", "Authority")
    Approval = apps.get_model("therapies", "Approval")
    ApprovalEvent = apps.get_model("therapies", "ApprovalEvent")
    for approval in Approval.objects.select_related("regulator"):
        if approval.regulator.slug not in AGENCIES:
            raise RuntimeError(f"Approval {approval.slug}: regulator {approval.regulator.slug!r} has no agency code "
                               "in the old model; remove it before migrating back.")
        approval.agency = approval.regulator.slug
        approval.approval_type = PATHWAY_TO_TYPE.get(approval.pathway, "")
        latest = (ApprovalEvent.objects.filter(approval_id=approval.pk, kind__in=STATUS_EVENTS)
                  .order_by("-date", "-position", "-id").first())
        ended = latest is not None and latest.kind not in ("granted", "converted_to_standard", "renewed", "reinstated")
        approval.status = "withdrawn" if ended else "active"
        approval.withdrawn_on = latest.date if ended else None
        approval.withdrawn_on_precision = latest.date_precision if ended else "day"
        approval.save(update_fields=["agency", "approval_type", "status", "withdrawn_on", "withdrawn_on_precision"])
    Approval.objects.update(regulator=None)  # the column goes with 0005; the agency code holds it now
    Authority.objects.filter(slug__in=list(AGENCIES), internal_note=CREATED_NOTE, documents=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("therapies", "0005_approvals_per_indication"),
        ("policies", "0005_regulators"),
    ]

    operations = [migrations.RunPython(forward, backward)]
