from django import template

from .. import selectors

register = template.Library()


@register.filter
def actor_label(entry) -> str:
    return selectors.actor_label(entry)


@register.filter
def action_label(entry) -> str:
    return selectors.action_label(entry)


@register.filter
def model_label(entry) -> str:
    return selectors.model_label(entry)
