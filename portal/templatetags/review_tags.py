"""The review queue on the admin home page (portal/pending.py says who sees what)."""

from django import template

from portal import pending

register = template.Library()


@register.inclusion_tag("admin/portal/review_queue.html", takes_context=True)
def review_queue(context):
    user = context["request"].user
    return {"changes": list(pending.waiting_for(user)[:50]), "reviewer": pending.is_reviewer(user)}
