"""{% signoff_panel signoff %}: the steps of a sign-off and, when it is the user's turn, the decision form.
Domain pages include it instead of drawing their own approval buttons."""

from django import template

from tongyun.signoffs import flows, services

register = template.Library()


@register.inclusion_tag("signoffs/_panel.html", takes_context=True)
def signoff_panel(context, signoff, next_url=""):
    request = context.get("request")
    user = getattr(request, "user", None)
    flow = flows.get(signoff.flow) if signoff else None
    # a step decided only on the subject's own page (a report's resubmission): say so, and where
    subject_action = services.subject_action_of(user, signoff) if signoff and user else ""
    subject = signoff.subject if subject_action else None
    return {
        "subject_action": subject_action,
        "subject_url": subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else "",
        "signoff": signoff,
        "may_decide": bool(signoff and user and services.may_decide(user, signoff)),
        "may_withdraw": bool(signoff and user and signoff.is_open and signoff.started_by_id == user.pk),
        "allows_return": bool(flow and flow.allows_return and signoff.current_position),
        "allows_reject": bool(flow and flow.allows_reject),
        "next_url": next_url or (request.get_full_path() if request else ""),
        "csrf_token": context.get("csrf_token"),
        "late": bool(signoff and signoff.is_late()),
    }
