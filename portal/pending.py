"""Changes to public items wait for review: an Editor proposes, a Publisher approves.

When an Editor saves a change to an item the public sees (in the admin or the API), the
save runs as usual inside a transaction that is then undone, and the rows it wrote (the item
and its inline rows, serialized as the history stores them) are kept as a `PendingChange`.
The public keeps the published version; nothing public reads pending changes.

A Publisher compares the proposal with the item as it is now (`compare`), and approves it
(`approve`: the rows are written in one history revision naming both people) or sends it
back with a comment (`send_back`). One item has at most one pending change: a second Editor
is told whose change is waiting (a database constraint holds the rule), and the author
withdraws it to start again. A proposal made against an older version of the item than the
current one cannot be approved: it would undo what changed since.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version
from reversion.revisions import _follow_relations_recursive, _get_options

from portal import registry
from portal.models import EditorialModel, PendingChange

# Columns every save rewrites; a comparison that listed them would bury the real change.
BOOKKEEPING = frozenset({"updated_at", "updated_by", "created_at", "created_by", "published_at"})


class HeldForReview(Exception):  # noqa: N818 (a signal to unwind the save, not an error)
    """Raised inside the save being held: the transaction is undone, the proposal kept."""

    def __init__(self, proposed: list[dict], baseline: Baseline):
        super().__init__("held for review")
        self.proposed = proposed
        self.baseline = baseline


@dataclass(frozen=True)
class Baseline:
    """The item as the Editor's change found it: its rows and its version."""

    rows: frozenset[tuple[str, object]]
    version: str


def publisher_model(model) -> type[EditorialModel]:
    """The model whose publish permission decides over `model`'s rows (an approval's therapy)."""
    if issubclass(model, EditorialModel):
        return model
    return model._meta.get_field(model.history_parent).related_model


def needs_review(user, item) -> bool:
    """True when `user`'s change to `item` must wait: the item is public and the user may not publish."""
    model = type(item)
    if publisher_model(model).user_can_publish(user):
        return False
    return model._default_manager.published().filter(pk=item.pk).exists()


def _label(obj) -> str:
    return obj._meta.label_lower


def serialized_rows(item) -> list[dict]:
    """The item and its inline rows (to any depth), each as the history serializes it."""
    rows = []
    for obj in _follow_relations_recursive(item):
        options = _get_options(type(obj))
        rows.append(json.loads(serializers.serialize("json", [obj], fields=options.fields))[0])
    return rows


def version_of(item) -> str:
    """The item's latest history revision: a proposal is based on it."""
    latest = Version.objects.get_for_object(item).values_list("pk", flat=True).first()
    return str(latest or "")


def baseline(item) -> Baseline:
    return Baseline(frozenset((_label(obj), obj.pk) for obj in _follow_relations_recursive(item)), version_of(item))


def open_change(item) -> PendingChange | None:
    return PendingChange.objects.filter(content_type=ContentType.objects.get_for_model(type(item)),
                                        object_id=str(item.pk), state=PendingChange.State.PENDING).first()


def refuse_second(item, user) -> None:
    """One pending change per item: say whose is waiting."""
    waiting = open_change(item)
    if waiting is not None:
        raise ValidationError(
            _("A change to this item by %(author)s is waiting for review since %(when)s. It must be approved, "
              "sent back or withdrawn before another one is proposed.")
            % {"author": waiting.author, "when": f"{waiting.created_at:%Y-%m-%d %H:%M}"},
            code="pending",
        )


def proposal(item, base: Baseline) -> list[dict]:
    """What the held save wrote, read inside its transaction: rows new since `base` are marked."""
    rows = serialized_rows(item)
    for row in rows:
        row["new"] = (row["model"], row["pk"]) not in base.rows
    return rows


def record(item, user, proposed: list[dict], base: Baseline, comment: str = "") -> PendingChange:
    """Store the held save as a pending change (after its transaction was undone)."""
    refuse_second(item, user)
    try:
        return PendingChange.objects.create(
            content_type=ContentType.objects.get_for_model(type(item)), object_id=str(item.pk),
            item_label=str(item)[:300], proposed=proposed, based_on=base.version, comment=comment, author=user,
        )
    except IntegrityError:  # another Editor's proposal landed in between
        refuse_second(item, user)
        raise


def hold(item, user, save, *, comment: str = "") -> PendingChange:
    """Run `save()` (it writes `user`'s change to `item` and returns the saved item), undo it,
    and keep what it wrote as a pending change."""
    refuse_second(item, user)
    base = baseline(item)
    try:
        with transaction.atomic():
            saved = save()
            raise HeldForReview(proposal(saved, base), base)
    except HeldForReview as held:
        return record(item, user, held.proposed, held.baseline, comment)


# --- comparing ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    row: str  # "Therapy Kymriah", "approval FDA 2017-08-30", "new approval"
    field: str
    old: object
    new: object


def _verbose(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a column the model no longer has
        return name


def compare_rows(old_rows: list[dict], new_rows: list[dict], labels: dict) -> list[FieldChange]:
    """Field by field, both languages (each is its own column), inline rows included.
    `labels` names each existing row: {(model label, pk): "approval FDA 2017-08-30"}."""
    old_by_key = {(row["model"], row["pk"]): row for row in old_rows}
    changes = []
    seen = set()
    for row in new_rows:
        model = apps.get_model(row["model"])
        key = (row["model"], row["pk"])
        old = None if row.get("new") else old_by_key.get(key)
        seen.add(key)
        label = labels[key] if old else _("new %(kind)s") % {"kind": model._meta.verbose_name}
        for name, value in row["fields"].items():
            if name in BOOKKEEPING:
                continue
            before = old["fields"].get(name) if old else None
            if old is None and value in (None, "", []):
                continue
            if before != value:
                changes.append(FieldChange(label, _verbose(model, name), before, value))
    for key in sorted(old_by_key.keys() - seen, key=str):
        changes.append(FieldChange(labels[key], _("(the whole row)"), _("present"), _("removed")))
    return changes


def compare(change: PendingChange) -> list[FieldChange]:
    """The pending change against the item as it is now."""
    item = change.item
    labels = {(_label(obj), obj.pk): f"{obj._meta.verbose_name} {obj}" for obj in _follow_relations_recursive(item)}
    return compare_rows(serialized_rows(item), change.proposed, labels)


# --- reviewing ----------------------------------------------------------------------------
def _check_reviewer(change: PendingChange, user) -> None:
    if not publisher_model(change.content_type.model_class()).user_can_publish(user):
        raise PermissionDenied(_("Only a Publisher can approve or send back a change."))
    if change.state != PendingChange.State.PENDING:
        raise ValidationError(_("This change is no longer waiting for review."), code="closed")


def approve(change: PendingChange, by, comment: str = "") -> None:
    """Write the proposal, in one history revision that names the author and the reviewer."""
    _check_reviewer(change, by)
    item = change.item
    if version_of(item) != change.based_on:
        raise ValidationError(
            _("The item changed after this change was proposed; approving it would undo that. "
              "Send it back so that it can be made again on the current version."), code="stale")
    with transaction.atomic(), reversion.create_revision():
        written: dict[tuple[str, object], object] = {}  # proposal pk -> saved pk, for new rows
        for row in change.proposed:
            model = apps.get_model(row["model"])
            fields = dict(row["fields"])
            for field in model._meta.concrete_fields:
                if field.is_relation and (_label(field.related_model), fields.get(field.name)) in written:
                    fields[field.name] = written[(_label(field.related_model), fields[field.name])]
            data = [{"model": row["model"], "pk": None if row.get("new") else row["pk"], "fields": fields}]
            saved = next(serializers.deserialize("json", json.dumps(data), ignorenonexistent=True))
            saved.object.save()  # a normal save: slugs, stages, search entries and caches follow
            for name, ids in saved.m2m_data.items():
                getattr(saved.object, name).set(ids)
            written[(row["model"], row["pk"])] = saved.object.pk
        kept = {(model_label, pk) for (model_label, _old), pk in written.items()}
        item = type(item)._default_manager.get(pk=item.pk)
        for obj in list(_follow_relations_recursive(item)):
            if (_label(obj), obj.pk) not in kept and obj.pk is not None:
                obj.delete()
        item.save()  # signals: caches, search index, derived values
        reversion.set_user(by)
        reversion.set_comment(
            _("Approved the change by %(author)s, reviewed by %(reviewer)s.") % {"author": change.author,
                                                                                  "reviewer": by}
            + (f" {change.comment}" if change.comment else "") + (f" ({comment})" if comment else ""))
        change.state, change.reviewer, change.reviewed_at = PendingChange.State.APPROVED, by, timezone.now()
        change.review_comment = comment
        change.save()


def send_back(change: PendingChange, by, comment: str) -> None:
    """Decline the change, saying why; the author sees it with the comment."""
    _check_reviewer(change, by)
    if not comment.strip():
        raise ValidationError({"review_comment": _("Say what should change, so the author can act on it.")})
    change.state, change.reviewer, change.reviewed_at = PendingChange.State.SENT_BACK, by, timezone.now()
    change.review_comment = comment
    change.save()


def withdraw(change: PendingChange, by) -> None:
    """The author takes back a change still waiting (to make it again, say)."""
    if change.author_id != by.pk:
        raise PermissionDenied(_("Only its author can withdraw a change."))
    if change.state != PendingChange.State.PENDING:
        raise ValidationError(_("This change is no longer waiting for review."), code="closed")
    change.state = PendingChange.State.WITHDRAWN
    change.save()


def is_reviewer(user) -> bool:
    """A Publisher of any curated model reviews (each approval still checks the item's own model)."""
    return any(model.user_can_publish(user) for model in registry.curated_models())


def waiting_for(user) -> models.QuerySet:
    """The review queue: every pending change for a Publisher; an Editor's own, and those sent back to them."""
    changes = PendingChange.objects.select_related("author", "content_type")
    if is_reviewer(user):
        return changes.filter(state=PendingChange.State.PENDING)
    return changes.filter(author=user, state__in=[PendingChange.State.PENDING, PendingChange.State.SENT_BACK])
