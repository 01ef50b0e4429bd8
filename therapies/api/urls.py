"""Resources of the therapies app: (URL prefix, viewset, route basename)."""

from therapies.api import views

resources = [
    ("categories", views.CategoryViewSet, "category"),
    ("therapies", views.TherapyViewSet, "therapy"),
    ("conditions", views.ConditionViewSet, "condition"),
    ("mechanisms", views.MechanismViewSet, "mechanism"),
    ("molecules", views.MoleculeViewSet, "molecule"),
    ("approvals", views.ApprovalViewSet, "approval"),
]
