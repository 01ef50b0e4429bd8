"""Resources of the policies app: (URL prefix, viewset, route basename)."""

from policies.api import views

resources = [
    ("policies", views.PolicyViewSet, "policy"),
    ("authorities", views.AuthorityViewSet, "authority"),
]
