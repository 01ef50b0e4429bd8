"""Cross-site pages of the base (home, about, search, robots.txt).

The home and about pages show the apps' content without naming the apps: each app registers
what it adds to them (`portal.pages`), as Wagtail's apps add panels to its admin home.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from portal import pages
from portal import search as site_search
from portal.generic import PAGE_SIZE


class HomeView(TemplateView):
    """Each app's figures (category tree, approvals, policies per jurisdiction, latest items),
    each computed once per content generation."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**pages.home_context(), **kwargs)


class AboutView(TemplateView):
    template_name = "portal/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(last_updated=pages.last_content_change(), **kwargs)


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
