"""A tiny URLconf for the page cache tests, independent of how the real pages look."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path

from therapies.models import TherapyCategory


def category_names(request):
    names = TherapyCategory.objects.published().order_by("pk").values_list("name", flat=True)
    return HttpResponse("\n".join(names), content_type="text/plain; charset=utf-8")


def with_cookie(request):
    response = HttpResponse("personal")
    response.set_cookie("seen", "1")
    return response


urlpatterns = i18n_patterns(
    path("", category_names),
    path("cookie/", with_cookie),
    prefix_default_language=True,
)
