"""The base views every public page builds on: paginated lists and published-or-preview details.

Apart from `portal/views.py` so that the apps import these without importing the base's own pages.
"""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import DetailView, ListView

from portal.paginators import CachedCountPaginator
from portal.selectors import Rows, load_rows

PAGE_SIZE = 20


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of `queryset`, its total counted once per content generation; a page
    that does not exist is a 404, not a 500."""
    paginator = CachedCountPaginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (InvalidPage, ValueError, TypeError) as exc:
        raise Http404(str(exc)) from exc


class PublicListView(ListView):
    """A paginated public list whose total is counted once per content generation."""

    paginate_by = PAGE_SIZE
    paginator_class = CachedCountPaginator


class PublicDetailView(DetailView):
    """Detail page of a curated item: published for everyone, a marked preview for staff.

    Staff who may view the model see drafts and archived items (`visible_to`), with a banner
    and `Cache-Control: private, no-store` so no shared cache keeps the preview.
    """

    context_object_name = "object"
    # Optional: how the public's page reads its object by slug (`portal.selectors.Rows` over
    # published objects), one prepared statement instead of building the queryset each time.
    public_rows: Rows | None = None

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def get_object(self, queryset=None):
        if self.public_rows is None or queryset is not None or self.model.user_sees_drafts(self.request.user):
            return super().get_object(queryset)
        found = load_rows(f"{self.model._meta.label_lower}-page", self.public_rows, self.kwargs[self.slug_url_kwarg])
        if not found:
            raise Http404
        return found[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex"
        return response
