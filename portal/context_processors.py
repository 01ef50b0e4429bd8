"""Values every public page's <head> and header need, computed without a database query."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

# Open Graph wants a territory; hreflang wants a script subtag for Chinese.
OG_LOCALES = {"en": "en_US", "zh-hans": "zh_CN"}
HREFLANGS = {"en": "en", "zh-hans": "zh-Hans"}
LANGUAGE_NAMES = {"en": "English", "zh-hans": "简体中文"}


def site(request):
    """Canonical URL, the same page in every language, and the locale for Open Graph.

    `translate_url` reverses the current route in the other language, so the switch stays on
    the same object (slugs are shared by both languages). A path that does not resolve
    (a 404 page) falls back to that language's home page.
    """
    current = get_language() or settings.LANGUAGE_CODE
    path = request.path
    alternates = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        if translated == path and code != current:
            translated = f"/{code}/"
        alternates.append({
            "code": code,
            "hreflang": HREFLANGS.get(code, code),
            "name": LANGUAGE_NAMES.get(code, code),
            "path": translated,
            "url": request.build_absolute_uri(translated),
            "is_current": code == current,
            "query": request.GET.urlencode() if code != current else "",
        })
    return {
        "canonical_url": request.build_absolute_uri(path),
        "language_alternates": alternates,
        "x_default_url": next((a["url"] for a in alternates if a["code"] == settings.LANGUAGE_CODE), ""),
        "og_locale": OG_LOCALES.get(current, current),
        "hreflang_current": HREFLANGS.get(current, current),
    }
