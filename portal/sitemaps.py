"""sitemap.xml: every published page in both languages, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from portal import registry


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 2000  # URLs per sitemap page, counting each language


class StaticPagesSitemap(I18nSitemap):
    changefreq = "weekly"

    def items(self):
        lists = [model.public_list_url_name for model in registry.public_models() if model.public_list_url_name]
        return ["home", "about", *lists]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(I18nSitemap):
    """One model's published items; drafts and archived items never appear."""

    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


def _sitemap_for(model_class):
    return type(f"{model_class.__name__}Sitemap", (PublishedSitemap,), {"model": model_class})


# Built when the URLconf is first imported, once the app registry is ready.
SITEMAPS = {
    "pages": StaticPagesSitemap,
    **{model_class._meta.model_name: _sitemap_for(model_class) for model_class in registry.public_models()},
}
