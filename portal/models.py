"""The editorial base every curated model shares, and the Reference model they cite."""

from __future__ import annotations

from urllib.parse import quote

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.choices import PUBLISHER_STATUSES, EditorialStatus, ReferenceKind
from portal.links import slug_path
from portal.markdown import render_markdown
from portal.validators import control_character_errors, validate_doi, validate_pmid

# What an Editor is told when a status change needs a Publisher (the rule: `check_status_move`).
PUBLISHER_ONLY = _("Only a Publisher can publish, unpublish, archive or restore content; submit it for review instead.")


class EditorialQuerySet(models.QuerySet):
    @staticmethod
    def published_condition(path: str = "") -> models.Q:
        """The rule itself, for the item at `path` (`"therapy__"`): rows public with their parent
        filter through a join on it, which the planner answers per row, not per table."""
        return models.Q(**{f"{path}status": EditorialStatus.PUBLISHED})

    def published(self):
        """The only door public code uses: what readers, feeds, search and the API may see."""
        return self.filter(self.published_condition())

    def visible_to(self, user):
        """Published content for the public; everything for staff who may view this model."""
        if self.model.user_sees_drafts(user):
            return self
        return self.published()


def _markdown_html(field: str) -> property:
    def html(self):
        return render_markdown(getattr(self, field))

    html.__name__ = f"{field}_html"
    html.__doc__ = f"`{field}` rendered from Markdown to safe HTML, in the active language."
    return property(html)


class TextRules:
    """Model validation of every text field: no control characters (`control_character_errors`).

    Every curated model (through `EditorialModel`) and every inline row inherits it, so the
    admin, the API and the loaders, which all call `full_clean()`, refuse them alike.
    """

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, error in control_character_errors(self, exclude).items():
            errors.setdefault(name, []).append(error)
        if errors:
            raise ValidationError(errors)


class EditorialModel(TextRules, models.Model):
    """Workflow status, stable slug, timestamps and authorship for every curated item.

    Subclasses name the field their slug derives from (`slug_source_field`) and the public
    URL names of their page and list (`public_url_name`, `public_list_url_name`), and
    declare what `portal.registry` tells everyone else: their inline children, Markdown
    fields and data file.
    """

    slug_source_field = "name"
    public_url_name: str | None = None
    # The public list of this model's items, listed in the sitemap with every item page.
    public_list_url_name: str | None = None
    # Related names of the rows edited inside an item (`("approvals",)`): the admin's
    # inlines, the history's `follow`, nested rows in the data files and the export.
    inline_children: tuple[str, ...] = ()
    # Text fields written in Markdown; each gets a `<field>_html` property (`__init_subclass__`).
    markdown_fields: tuple[str, ...] = ()
    # The file under data/ that `load_curated` reads this model's records from.
    data_file: str | None = None

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Part of the public URL. Generated from the English name when left empty; "
                    "changing it breaks links people have shared."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EditorialStatus.choices, default=EditorialStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+", verbose_name=_("updated by"),
    )
    # Editors' caveats ("day not yet verified") live here, never in public text: no page,
    # feed, export or public API response shows this field (staff API responses do).
    internal_note = models.TextField(
        _("internal note"), blank=True, default="",
        help_text=_("For editors only: what is unverified or disputed. Never shown to the public."),
    )
    last_reviewed_on = models.DateField(
        _("facts checked on"), null=True, blank=True,
        help_text=_("The day an editor last checked this item against its sources; shown on its page."),
    )

    objects = EditorialQuerySet.as_manager()

    class Meta:
        abstract = True
        # "publish" adds a `publish_<model>` permission per model; the Publisher role holds them.
        default_permissions = ("add", "change", "delete", "view", "publish")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for field in cls.__dict__.get("markdown_fields", ()):
            setattr(cls, f"{field}_html", _markdown_html(field))

    def __str__(self) -> str:
        return str(getattr(self, self.slug_source_field) or self.slug)

    def save(self, *args, **kwargs):
        self.ensure_slug()
        if self.status == EditorialStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def get_absolute_url(self) -> str | None:
        if not self.public_url_name or not self.slug:
            return None
        try:
            return slug_path(self.public_url_name, self.slug)
        except NoReverseMatch:
            return None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored status so a change of status can be checked against the user.
        instance._stored_status = instance.__dict__.get("status")
        return instance

    # --- slugs ---------------------------------------------------------------------------
    def slug_source_text(self) -> str:
        """English text the slug is made from (the Chinese name slugifies to nothing)."""
        field = self.slug_source_field
        return str(getattr(self, f"{field}_en", None) or getattr(self, field, "") or "")

    def ensure_slug(self) -> None:
        if self.slug:
            return
        base = slugify(self.slug_source_text())[:100] or self._meta.model_name
        candidate, counter = base, 2
        while type(self)._default_manager.filter(slug=candidate).exclude(pk=self.pk).exists():
            candidate, counter = f"{base}-{counter}", counter + 1
        self.slug = candidate

    def clean_fields(self, exclude=None):
        self.ensure_slug()
        super().clean_fields(exclude=exclude)

    # --- workflow ------------------------------------------------------------------------
    @property
    def stored_status(self) -> str | None:
        return getattr(self, "_stored_status", None)

    @classmethod
    def publish_permission(cls) -> str:
        return f"{cls._meta.app_label}.publish_{cls._meta.model_name}"

    @classmethod
    def user_can_publish(cls, user) -> bool:
        return bool(user and user.is_active and user.has_perm(cls.publish_permission()))

    def check_status_change(self, user, new_status: str) -> None:
        """Raise PermissionDenied unless `user` may move this item to `new_status`."""
        self.check_status_move(user, self.stored_status, new_status)

    @classmethod
    def check_status_move(cls, user, old_status: str | None, new_status: str | None) -> None:
        """The one door to "public": raise PermissionDenied unless `user` may move an item of
        this model from `old_status` to `new_status` (None: the item does not exist).

        Entering or leaving Published or Archived changes what the public sees, so it takes
        the publish permission; drafting and submitting for review do not. Every path that can
        change a status (form, bulk action, API, history revert and recover, loader) asks it
        before anything is written.
        """
        if new_status == old_status:
            return
        touches_public = new_status in PUBLISHER_STATUSES or old_status in PUBLISHER_STATUSES
        if touches_public and not cls.user_can_publish(user):
            raise PermissionDenied(PUBLISHER_ONLY)

    def transition(self, new_status: str, *, by) -> None:
        """Move to `new_status` as `by`, checked and recorded in the history."""
        if new_status not in EditorialStatus.values:
            raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": new_status}})
        self.check_status_change(by, new_status)
        if new_status == self.stored_status:
            return
        with transaction.atomic(), reversion.create_revision():
            self.status = new_status
            self.updated_by = by
            self.save()
            reversion.set_user(by)
            reversion.set_comment(
                _("Status changed to %(status)s.") % {"status": EditorialStatus(new_status).label}
            )

    @property
    def is_published(self) -> bool:
        return self.status == EditorialStatus.PUBLISHED

    @classmethod
    def user_sees_drafts(cls, user) -> bool:
        """Staff who may view this model see every status; everyone else sees published only."""
        if user is None or not user.is_active or not user.is_staff:
            return False
        return user.has_perm(f"{cls._meta.app_label}.view_{cls._meta.model_name}")

    @classmethod
    def status_visible_to(cls, status: str, user) -> bool:
        """The rule of `visible_to()` for one item of this model with `status`."""
        return status == EditorialStatus.PUBLISHED or cls.user_sees_drafts(user)

    def is_visible_to(self, user) -> bool:
        """The per-object twin of `visible_to()`, for related objects already in memory."""
        return self.status_visible_to(self.status, user)


class Reference(EditorialModel):
    """A citation: every published fact on the portal points at one or more of these.

    Bibliographic fields stay in the source's own language, so they are not translated.
    """

    slug_source_field = "title"
    data_file = "references.yaml"

    kind = models.CharField(
        _("kind of source"), max_length=24, choices=ReferenceKind.choices, blank=True, default="",
        help_text=_("Shown beside the reference, so a reader can weigh it."),
    )
    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.CharField(
        _("publisher or journal"), max_length=255, blank=True,
        help_text=_("Journal for an article; agency or publisher for a web page or document."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True, validators=[validate_doi])
    pmid = models.CharField(_("PMID"), max_length=12, blank=True, validators=[validate_pmid])
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)

    class Meta(EditorialModel.Meta):
        ordering = ["title", "id"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(doi="", pmid="", url=""),
                name="reference_has_locator",
                violation_error_message=_("A reference needs a DOI, a PMID or a URL."),
            ),
        ]

    def get_absolute_url(self) -> str | None:
        return self.link or None

    @property
    def link(self) -> str:
        return self.link_for(self.doi, self.pmid, self.url)

    @staticmethod
    def link_for(doi: str, pmid: str, url: str) -> str:
        """The most durable address for a source: DOI, then PubMed, then the URL. A DOI may
        hold any Unicode and `<>#?%`; percent-encoded, its link is a valid URI (as doi.org advises)."""
        if doi:
            return "https://doi.org/" + quote(doi, safe="/:;()@!$&'*+,=")
        if pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
        return url


class TreeQuerySet(EditorialQuerySet):
    """Items with a `parent` link to their own model: categories, conditions."""

    def roots(self):
        return self.filter(parent=None)

    def descendant_ids(self, root) -> list[int]:
        """Ids of `root` and every item below it, in one query for the whole tree."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in self.model.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack, seen = [], [root.pk], set()
        while stack:
            pk = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            found.append(pk)
            stack.extend(children.get(pk, []))
        return found


def parent_cycle_error(item) -> str | None:
    """Why `item.parent` cannot be its parent (itself, or one of its own descendants), if so."""
    if item.pk is None or item.parent_id is None:
        return None
    if item.parent_id == item.pk:
        return _("An item cannot be its own parent.")
    ancestor, seen = item.parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk == item.pk:
            return _("This parent would make a cycle in the tree.")
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return None


class TermVectorField(models.TextField):
    """A `tsvector` column on PostgreSQL (searched through a GIN index); plain text, left
    empty, on other databases, which search through `SearchTerm` rows instead."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else super().db_type(connection)


@TermVectorField.register_lookup
class TermVectorMatch(models.Lookup):
    """`vector__matches="'a' & 'b'"`: the vector holds every lexeme of the tsquery literal
    (cast, not parsed into new lexemes).

    The literal goes through a one-row subquery, so the planner does not see how common its
    terms are and always answers from the GIN index. Shown a very common term, it would
    rather scan the table until it has enough rows, reading every row's large vector."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ (SELECT ({rhs})::tsquery)", [*lhs_params, *rhs_params]


@TermVectorField.register_lookup
class TermVectorHolds(models.Lookup):
    """`vector__holds="'a' & 'b'"`: as `matches`, with the literal where the planner sees it,
    so it can weigh how common the terms are: for filtering a list, where reading a page in
    list order and checking each row beats collecting every match of a common term."""

    lookup_name = "holds"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


class SearchEntry(models.Model):
    """One published item as the search page shows it, in every language.

    Denormalised copy kept in sync by `portal.search` (signals and `rebuild_search_index`);
    never edited by hand. Its terms, shared by all languages, are the inverted index queries
    go through: on PostgreSQL the two vectors below (GIN-indexed, created by migration 0005),
    elsewhere its `SearchTerm` rows.
    """

    kind = models.CharField(_("type"), max_length=16)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=120)
    # Language code -> title / plain text shown in results (with the English fallback applied).
    titles = models.JSONField(_("titles"), default=dict)
    texts = models.JSONField(_("texts"), default=dict)
    # PostgreSQL only: every term with its weight as its one position ('cell':12), and the
    # title and keyword terms alone (the few entries ranked first for a very common term).
    vector = TermVectorField(default="", editable=False)
    title_vector = TermVectorField(default="", editable=False)

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_item"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug}"


class SearchTerm(models.Model):
    """A normalised token (English stem or Chinese character n-gram) found in an entry.

    The inverted index on SQLite, the zero-setup database of a curated-size catalogue: the
    (term, entry) index makes a lookup one index range scan per query token. PostgreSQL keeps
    no rows here (at 120 000 items they would be ~48 million); it uses `SearchEntry.vector`.
    Each (entry, term) pair is written once by construction, so no unique index is paid for.
    """

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=64)
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [models.Index(fields=["term", "entry"], name="search_term_entry")]

    def __str__(self) -> str:
        return self.term


class LoadedRecord(models.Model):
    """What `load_curated` last wrote for one record: a digest of each field the record sets.

    The next load compares the item with it. A field whose digest differs was changed in the
    admin or the API since, and the loader does not overwrite that edit unless told to
    (`--overwrite`); a record whose item is gone was deleted since, and is not re-created.
    """

    model = models.CharField(max_length=100)  # the model's label, "therapies.therapy"
    slug = models.SlugField(max_length=120)
    digests = models.JSONField(default=dict)
    loaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("loaded record")
        verbose_name_plural = _("loaded records")
        constraints = [models.UniqueConstraint(fields=["model", "slug"], name="unique_loaded_record")]

    def __str__(self) -> str:
        return f"{self.model}:{self.slug}"


# The content generation's row lives beside the code that bumps it; imported so Django finds it.
from portal.generation_row import ContentGeneration  # noqa: E402, F401


class PendingChange(models.Model):
    """An Editor's change to a public item, held for a Publisher's review (portal/pending.py).

    The public keeps seeing the item as published: the proposal lives here only, as the
    serialized rows the save would have written (the item and its inline rows, as its
    history stores them), until a Publisher approves it (one history revision naming both)
    or sends it back with a comment.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                     verbose_name=_("kind of item"))
    object_id = models.CharField(max_length=64)
    item_label = models.CharField(_("item"), max_length=300)
    proposed = models.JSONField(help_text=_("The rows the change would write, serialized as in the history."))
    based_on = models.CharField(max_length=40, blank=True,
                                help_text=_("When the item was last saved as the Editor saw it."))
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open proposal per item: a second one would silently drop or undo the first.
            models.UniqueConstraint(fields=["content_type", "object_id"], condition=models.Q(state="pending"),
                                    name="one_pending_change_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_label} ({self.get_state_display()})"

    @property
    def item(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)
