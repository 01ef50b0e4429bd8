"""The editorial base for every curated model's admin, and the Reference admin.

Status changes are checked on the server wherever the admin can make one, with one rule
(`EditorialModel.check_status_move`): the change form, the bulk actions, and the history's
revert and recover views (`GuardedHistoryAdmin`), which also check every other item the
restored revision holds.

Declared fieldsets and inlines arrange the form; they never hide anything. A field the
fieldsets leave out shows in a last "Other" fieldset, and an inline child of the model
(`portal.registry`) without a declared inline gets a plain one, so a field or a child
added to a model shows in the admin without an edit here.
"""

from functools import cache

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin

from portal import history, i18n, pending, registry
from portal.choices import EditorialStatus
from portal.citations import citation_errors
from portal.models import PUBLISHER_ONLY, EditorialModel, PendingChange, Reference

admin.site.site_header = _("Cell Therapy Portal: curation")
admin.site.site_title = _("Cell Therapy Portal admin")
admin.site.index_title = _("Curated content")


class EditorialAdminForm(forms.ModelForm):
    """Refuses a status the current user may not set, whatever the browser posted, and a save
    from a form opened before someone else saved the item (it would silently undo their work)."""

    editorial_user = None  # set per request by EditorialAdmin.get_form
    edited_version = forms.CharField(widget=forms.HiddenInput, required=False)
    change_comment = forms.CharField(
        label=_("Comment for the reviewer"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A change to a published item waits for a Publisher's review: say what you changed and "
                    "on which source."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "edited_version" in self.fields and self.instance.pk:
            self.fields["edited_version"].initial = self.stored_version()
        if "status" in self.fields:
            self.fields["status"].choices = self.status_choices()
            # A browser (or a revert of an old revision) can still post a status left out.
            self.fields["status"].error_messages["invalid_choice"] = PUBLISHER_ONLY

    def status_choices(self) -> list[tuple[str, str]]:
        """Only the statuses this user may move the item to: an Editor is never offered
        Published or Archived only to be refused after saving."""
        allowed = []
        for value, label in EditorialStatus.choices:
            try:
                self.instance.check_status_move(self.editorial_user, self.instance.stored_status, value)
            except PermissionDenied:
                continue
            allowed.append((value, label))
        return allowed

    def stored_version(self) -> str:
        """What the item's last save left: the form was filled in against this."""
        return self.instance.updated_at.isoformat() if self.instance.updated_at else ""

    def stale_form_error(self):
        """The error for a form opened before the item's last save, else None. A form that
        does not carry the version (a script posting fields) is not checked."""
        opened_on = self.cleaned_data.get("edited_version") or ""
        if self.instance.pk and opened_on and opened_on != self.stored_version():
            history = reverse(f"admin:{self.instance._meta.app_label}_{self.instance._meta.model_name}_history",
                              args=[self.instance.pk])
            return ValidationError(format_html(
                _("{who} saved this item after you opened it, so your changes were not saved: they would "
                  "undo theirs. Open the <a href=\"{history}\">history</a> to see what changed, then "
                  "reload this page and make your changes again."),
                who=self.instance.updated_by or _("Someone"), history=history), code="stale")
        return None

    def clean(self):
        cleaned = super().clean()
        stale = self.stale_form_error()
        if stale is not None:
            raise stale
        if "references" in cleaned:
            slugs = [reference.slug for reference in cleaned["references"] or ()]
            for field_name, message in citation_errors(self._meta.model, cleaned, slugs).items():
                if field_name in self.fields:
                    self.add_error(field_name, message)
        return cleaned

    def clean_status(self):
        new_status = self.cleaned_data["status"]
        try:
            self.instance.check_status_change(self.editorial_user, new_status)
        except PermissionDenied as denied:
            raise ValidationError(str(denied), code="permission_denied") from denied
        return new_status


def form_fields(model) -> list[str]:
    """The fields of `model` an editor fills in: editable, and for a translated field its
    language columns (modeltranslation's admin shows those, never the original)."""
    originals = i18n.translated_fields(model)
    return [
        field.name for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many) and field.editable and not field.auto_created
        and not field.primary_key and field.name not in originals
        # a many-to-many with a `through` model of its own is edited as inline rows
        and not (field.many_to_many and not field.remote_field.through._meta.auto_created)
    ]


class ShowsEveryField:
    """Admin (or inline) mixin: the declared fieldsets, then every field they leave out."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        skipped = {*flatten_fieldsets(fieldsets), *self.get_readonly_fields(request, obj)}
        parent_model = getattr(self, "parent_model", None)
        if parent_model is not None:  # an inline: its formset sets the key to the parent
            skipped |= {field.name for field in self.model._meta.fields if field.related_model is parent_model}
        unplaced = [name for name in form_fields(self.model) if name not in skipped]
        return [*fieldsets, (_("Other"), {"fields": unplaced})] if unplaced else fieldsets


@cache
def default_inline(model) -> type[admin.TabularInline]:
    """A plain tabular inline for an inline child no admin declares one for."""
    base = TranslationTabularInline if i18n.translated_fields(model) else admin.TabularInline
    return type(f"{model.__name__}Inline", (ShowsEveryField, base), {"model": model, "extra": 0})


class GuardedHistoryAdmin(VersionAdmin):
    """django-reversion's revert and recover views, held to the status rule.

    Those views write the old revision into the database before they build the form, so the
    form would compare the restored status with itself. Here the item's status from before
    the revert is what the form checks, and every other curated item the revision would
    restore is checked too, before anything is written.
    """

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        own = (version._model, str(version.object_id))
        current = version._model._default_manager.filter(pk=version.object_id).first()
        if issubclass(version._model, EditorialModel):
            request.status_before_revert = current.status if current is not None else None
        try:
            history.check_revert(request.user, version.revision, skip=own)
        except PermissionDenied as denied:
            if request.method == "POST":
                self.message_user(request, str(denied), messages.ERROR)
                opts = self.model._meta
                return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
            self.message_user(request, str(denied), messages.WARNING)
        if request.method == "POST" and current is not None and pending.needs_review(request.user, current):
            # Reverting a public item is a change like any other: it waits for review.
            return self._held(request, current, lambda: super(GuardedHistoryAdmin, self)._reversion_revisionform_view(
                request, version, template_name, extra_context))
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    # --- an Editor's change to a public item waits for review (portal/pending.py) ----------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Outside VersionAdmin's own revision block, so the held save leaves no revision behind.
        if request.method == "POST":
            item = self.get_object(request, unquote(object_id))
            if item is not None and pending.needs_review(request.user, item):
                return self._held(request, item, lambda: super(GuardedHistoryAdmin, self).change_view(
                    request, object_id, form_url, extra_context))
        return super().change_view(request, object_id, form_url, extra_context)

    def _held(self, request, item, view):
        """Run the admin's own save `view`, undo what it wrote, and keep it as a pending change."""
        try:
            pending.refuse_second(item, request.user)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return redirect(request.path)
        request.pending_baseline = pending.baseline(item)
        try:
            response = view()  # a 200 is the form again, with its errors: nothing to hold
        except pending.HeldForReview as held:
            change = pending.record(item, request.user, held.proposed, held.baseline,
                                    comment=request.POST.get("change_comment", ""))
            self.message_user(request, _("Your change is waiting for a Publisher's review; the public still sees "
                                         "the published version."), messages.SUCCESS)
            return redirect("admin:portal_pendingchange_change", change.pk)
        return response

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        base = getattr(request, "pending_baseline", None)
        if base is not None:
            raise pending.HeldForReview(pending.proposal(form.instance, base), base)

    def get_object(self, request, object_id, from_field=None):
        item = super().get_object(request, object_id, from_field)
        if item is not None and hasattr(request, "status_before_revert"):
            item._stored_status = request.status_before_revert
        return item


class EditorialAdmin(ShowsEveryField, GuardedHistoryAdmin):
    """History (django-reversion), authorship stamps and workflow actions."""

    form = EditorialAdminForm
    actions = ["submit_for_review", "publish", "unpublish", "archive", "mark_facts_checked"]
    list_filter = ["status"]
    readonly_fields = ["published_at", "created_at", "created_by", "updated_at", "updated_by"]
    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over the whole table on every page load is wasted work
    editorial_fieldset = (_("Editorial"), {"fields": ["status", "slug", "last_reviewed_on", "internal_note",
                                                      *readonly_fields, "edited_version", "change_comment"]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A subclass per request, so the user never leaks between concurrent requests.
        return type(form.__name__, (form,), {"editorial_user": request.user})

    def get_inlines(self, request, obj):
        """The declared inlines, then a plain one for each inline child without one."""
        declared = list(super().get_inlines(request, obj))
        shown = {inline.model for inline in declared}
        children = registry.inline_children(self.model)
        return [*declared, *(default_inline(child.model) for child in children if child.model not in shown)]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def has_publish_permission(self, request):
        return self.model.user_can_publish(request.user)

    def _move(self, request, queryset, new_status, done_message):
        moved = 0
        for item in queryset:
            try:
                item.transition(new_status, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{item}: {error}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, done_message(moved), messages.SUCCESS)

    @admin.action(description=_("Submit selected for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(request, queryset.exclude(status__in=["published", "archived"]), EditorialStatus.IN_REVIEW,
                   lambda n: ngettext("%d item submitted for review.", "%d items submitted for review.", n) % n)

    @admin.action(description=_("Publish selected"), permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, EditorialStatus.PUBLISHED,
                   lambda n: ngettext("%d item published.", "%d items published.", n) % n)

    @admin.action(description=_("Unpublish selected (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move(request, queryset, EditorialStatus.DRAFT,
                   lambda n: ngettext("%d item unpublished.", "%d items unpublished.", n) % n)

    @admin.action(description=_("Mark selected as facts checked today"), permissions=["change"])
    def mark_facts_checked(self, request, queryset):
        """An editor who re-read an item's sources says so; its page shows the month."""
        today = timezone.localdate()
        checked = held = 0
        for item in queryset:
            def mark(item=item):
                with transaction.atomic(), reversion.create_revision():
                    item.last_reviewed_on = today
                    item.updated_by = request.user
                    item.save(update_fields=["last_reviewed_on", "updated_by", "updated_at"])
                    reversion.set_user(request.user)
                    reversion.set_comment(_("Facts checked against the sources."))
                return item

            if not pending.needs_review(request.user, item):
                mark()
                checked += 1
                continue
            try:  # the page shows the date: like any change to a published item, it waits
                pending.hold(item, request.user, mark, comment=_("Facts checked against the sources."))
            except ValidationError as refused:
                self.message_user(request, f"{item}: {' '.join(refused.messages)}", messages.ERROR)
            else:
                held += 1
        if checked:
            self.message_user(request, ngettext("%d item marked as checked.", "%d items marked as checked.",
                                                checked) % checked, messages.SUCCESS)
        if held:
            self.message_user(request, ngettext(
                "%d published item is waiting for review as checked.",
                "%d published items are waiting for review as checked.", held) % held, messages.SUCCESS)

    @admin.action(description=_("Archive selected"), permissions=["publish"])
    def archive(self, request, queryset):
        self._move(request, queryset, EditorialStatus.ARCHIVED,
                   lambda n: ngettext("%d item archived.", "%d items archived.", n) % n)


class TranslatedEditorialAdmin(EditorialAdmin, TranslationAdmin):
    """Both languages side by side in one form."""


@admin.register(Reference)
class ReferenceAdmin(EditorialAdmin):
    list_display = ["title", "kind", "publisher", "year", "doi", "pmid", "status"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["title", "authors", "publisher", "doi", "pmid", "url", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["kind", "title", "authors", "publisher", "year", "doi", "pmid", "url", "accessed_on"]}),
        EditorialAdmin.editorial_fieldset,
    ]


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """The review queue: what waits, oldest first; each change shown field by field."""

    list_display = ["item_label", "kind", "author", "created_at", "age", "state"]
    list_filter = ["state"]
    list_select_related = ["author", "content_type"]
    ordering = ["created_at", "pk"]

    @admin.display(description=_("kind of item"))
    def kind(self, change):
        return change.content_type.model_class()._meta.verbose_name

    @admin.display(description=_("waiting"))
    def age(self, change):
        return timesince(change.created_at)

    is_reviewer = staticmethod(pending.is_reviewer)

    def get_queryset(self, request):
        changes = super().get_queryset(request)
        return changes if self.is_reviewer(request.user) else changes.filter(author=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or self.is_reviewer(request.user) or obj.author_id == request.user.pk)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False  # proposed by saving the item itself

    def has_delete_permission(self, request, obj=None):
        return False  # kept as the record of the review

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, unquote(object_id))
        if change is None or not self.has_view_permission(request, change):
            raise PermissionDenied
        if request.method == "POST":
            decision = request.POST.get("decision")
            actions = {"approve": lambda: pending.approve(change, request.user, request.POST.get("review_comment", "")),
                       "send_back": lambda: pending.send_back(change, request.user,
                                                              request.POST.get("review_comment", "")),
                       "withdraw": lambda: pending.withdraw(change, request.user)}
            try:
                actions[decision]()
            except KeyError:
                self.message_user(request, _("Choose approve, send back or withdraw."), messages.ERROR)
            except (PermissionDenied, ValidationError) as refused:
                messages_ = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
                self.message_user(request, " ".join(messages_), messages.ERROR)
            else:
                self.message_user(request, _("Done: %(state)s.") % {"state": change.get_state_display()},
                                  messages.SUCCESS)
                return redirect("admin:portal_pendingchange_changelist")
        item = change.content_type.model_class()._default_manager.filter(pk=change.object_id).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Change to %(item)s") % {"item": change.item_label},
            "change": change,
            "item": item,
            "differences": pending.compare(change) if item is not None else [],
            "can_review": self.is_reviewer(request.user) and change.state == PendingChange.State.PENDING,
            "can_withdraw": change.author_id == request.user.pk and change.state == PendingChange.State.PENDING,
            "item_admin_url": reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change",
                                      args=[item.pk]) if item is not None else None,
        }
        return TemplateResponse(request, "admin/portal/pendingchange/review.html", context)
