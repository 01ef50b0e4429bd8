"""Cross-site pages (home, about, search, robots.txt) and the base views every page builds on."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from policies import selectors as policy_selectors
from portal import search as site_search
from portal.paginators import CachedCountPaginator
from portal.selectors import Rows, last_content_change, load_rows
from therapies import selectors as therapy_selectors

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


class HomeView(TemplateView):
    """Category tree, products per regulator, approvals per year, policies per jurisdiction,
    latest approvals and policies: each computed once per content generation (six queries
    after a change, none until the next)."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            category_tree=therapy_selectors.category_tree(),
            approval_stats=therapy_selectors.approval_stats(),
            policies_by_jurisdiction=policy_selectors.policies_by_jurisdiction(),
            latest_approvals=therapy_selectors.latest_approvals(),
            latest_policies=policy_selectors.latest_policies(),
        )
        return context


class AboutView(TemplateView):
    template_name = "portal/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(last_updated=last_content_change(), **kwargs)


class SearchView(TemplateView):
    """Results across every type, ranked, with type facets; an empty query gets guidance."""

    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = site_search.clean_query(self.request.GET.get("q"))
        kind = self.request.GET.get("type", "")
        if kind not in site_search.kinds():
            kind = ""
        try:
            page_number = int(self.request.GET.get("page") or 1)
        except ValueError as exc:
            raise Http404("Invalid page number.") from exc
        if not 1 <= page_number <= 1000:
            raise Http404("Invalid page number.")
        results = site_search.search(
            query, language=get_language(), types={kind} if kind else None,
            limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE,
        )
        if page_number > 1 and not results.results:
            raise Http404("No such page of results.")
        context.update(
            query=query,
            kind=kind,
            results=results,
            sources=site_search.sources(),
            page_number=page_number,
            results_start=(page_number - 1) * PAGE_SIZE + 1,
            has_next=page_number * PAGE_SIZE < results.total,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        # A search the database gave up on is not an answer: a 503 is never cached.
        if context["results"].timed_out:
            response_kwargs["status"] = 503
        return super().render_to_response(context, **response_kwargs)


@require_safe
def robots_txt(request):
    # The admin path is left out on purpose: it is configurable so that it is not advertised.
    lines = [
        "User-agent: *",
        "Disallow: /api/",
        *(f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
