"""Reads of the sign-off flow: one subject's sign-off, what awaits a person, lists."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tongyun.core.scoping import scoped

from . import flows
from .choices import SignOffState
from .models import SignOff, SignOffEvent, SignOffStep
from .services import may_decide


def with_steps(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("unit", "system", "started_by").prefetch_related(
        Prefetch("steps", queryset=SignOffStep.objects.select_related("decided_by")),
        Prefetch("events", queryset=SignOffEvent.objects.select_related("actor")),
    )


def signoff_for(subject, flow_key: str | None = None) -> SignOff | None:
    """The latest version of the subject's sign-off (of one flow, when named)."""
    queryset = SignOff.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    if flow_key:
        queryset = queryset.filter(flow=flow_key)
    return with_steps(queryset).order_by("-version", "-id").first()


def latest_signoffs(subjects: list, flow_key: str | None = None) -> dict[int, SignOff]:
    """`signoff_for` of several subjects of one model, {subject id: its latest sign-off}, in a constant number
    of queries (a list page's rows): the latest versions' ids first, then those sign-offs with their steps."""
    if not subjects:
        return {}
    queryset = SignOff.objects.filter(subject_type=ContentType.objects.get_for_model(subjects[0]),
                                      subject_id__in=[subject.pk for subject in subjects])
    if flow_key:
        queryset = queryset.filter(flow=flow_key)
    latest: dict[int, int] = {}
    for pk, subject_id in queryset.order_by("-version", "-id").values_list("pk", "subject_id"):
        latest.setdefault(subject_id, pk)
    return {signoff.subject_id: signoff for signoff in with_steps(SignOff.objects.filter(pk__in=latest.values()))}


def is_complete(subject, flow_key: str) -> bool:
    signoff = signoff_for(subject, flow_key)
    return signoff is not None and signoff.is_complete


def signoff_list(user, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    queryset = scoped(SignOff.objects.all(), user)
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("flow"):
        queryset = queryset.filter(flow=filters["flow"])
    if filters.get("system"):
        queryset = queryset.filter(system_id=filters["system"])
    if filters.get("unit"):
        queryset = queryset.filter(unit_id=filters["unit"])
    return with_steps(queryset)


def signoff_get(user, pk: int) -> SignOff:
    return get_object_or_404(with_steps(scoped(SignOff.objects.all(), user)), pk=pk)


def awaiting(user) -> list[SignOff]:
    """Open sign-offs whose current step is this user's to decide."""
    if not getattr(user, "is_authenticated", False) or not user.role:
        return []
    parties_q = Q()
    any_party = False
    for flow in flows.registered():
        positions = [i for i, step in enumerate(flow.steps) if user.role in step.deciding_roles]
        if positions:
            any_party = True
            parties_q |= Q(flow=flow.key, current_position__in=positions)
    if not any_party:
        return []
    candidates = with_steps(scoped(SignOff.objects.filter(state=SignOffState.PENDING), user).filter(parties_q))
    return [signoff for signoff in candidates.order_by("due_at", "started_at") if may_decide(user, signoff)]


def completed_subject_ids(model, flow_key: str, subject_ids) -> set[int]:
    """Which of these subjects (of `model`) have a completed sign-off of the flow — one query."""
    return set(SignOff.objects.filter(subject_type=ContentType.objects.get_for_model(model), flow=flow_key,
                                      state=SignOffState.COMPLETED, subject_id__in=list(subject_ids))
               .values_list("subject_id", flat=True))


def latest_by_subject(model, flow_key: str, subject_ids) -> dict[int, SignOff]:
    """{subject_id: latest sign-off of the flow} for these subjects — one query."""
    latest: dict[int, SignOff] = {}
    rows = SignOff.objects.filter(subject_type=ContentType.objects.get_for_model(model), flow=flow_key,
                                  subject_id__in=list(subject_ids)).order_by("subject_id", "version")
    for signoff in rows:
        latest[signoff.subject_id] = signoff
    return latest
