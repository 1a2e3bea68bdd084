"""The incident lifecycle (故障工单流程): states, actions, who may take them. Pure Python.

    reported ──triage──▶ triaged ──dispatch──▶ dispatched ──acknowledge──▶ acknowledged
       │                    │                                               │
       └──────dispatch──────┘                      arrive ──▶ on_site ──start──▶ in_progress
                                                                            │   ▲
                               wait_user / wait_vendor / wait_parts ──▶ waiting_* ─resume─┘
    acknowledged | on_site | in_progress ──resolve──▶ resolved ──confirm──▶ confirmed ──close──▶ closed
    resolved | confirmed | closed ──reopen──▶ in_progress          reported | triaged ──cancel──▶ cancelled

Clocks: "acknowledge" meets the response target, "arrive" the on-site target, "resolve" the repair
target. The one rule for waiting states: time spent in any waiting state (用户/原厂/备件审批) stops
the arrival, repair and restore clocks (see tongyun.domain.sla_clock.deadline_with_pauses); the
response clock is never paused, because waiting is only possible after the response.
Reopening continues the original repair clock: the time the ticket spent resolved counts.
"""

from __future__ import annotations

from dataclasses import dataclass

REPORTED = "reported"
TRIAGED = "triaged"
DISPATCHED = "dispatched"
ACKNOWLEDGED = "acknowledged"
ON_SITE = "on_site"
IN_PROGRESS = "in_progress"
WAITING_USER = "waiting_user"
WAITING_VENDOR = "waiting_vendor"
WAITING_PARTS = "waiting_parts"
RESOLVED = "resolved"
CONFIRMED = "confirmed"
CLOSED = "closed"
CANCELLED = "cancelled"

WAITING_STATES = frozenset({WAITING_USER, WAITING_VENDOR, WAITING_PARTS})
OPEN_STATES = frozenset({REPORTED, TRIAGED, DISPATCHED, ACKNOWLEDGED, ON_SITE, IN_PROGRESS} | WAITING_STATES)
FINISHED_STATES = frozenset({RESOLVED, CONFIRMED, CLOSED, CANCELLED})

# Roles (the values of tongyun.parties.choices.Role)
MANAGEMENT = frozenset({"dispatcher", "project_manager"})
FIELD = frozenset({"engineer", "onsite_staff", "electrician"})
UNIT = frozenset({"unit_admin", "unit_staff"})
BUREAU = frozenset({"bureau_admin", "bureau_staff"})
WORKING = OPEN_STATES - {REPORTED, TRIAGED, DISPATCHED} - WAITING_STATES  # acknowledged, on_site, in_progress


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    assignee_may: bool = False  # the ticket's assignee may take it even if the role is not listed


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("triage", frozenset({REPORTED, TRIAGED}), TRIAGED, MANAGEMENT),
        Action("dispatch", frozenset({REPORTED, TRIAGED, DISPATCHED, ACKNOWLEDGED, ON_SITE, IN_PROGRESS}),
               DISPATCHED, MANAGEMENT),
        Action("acknowledge", frozenset({REPORTED, TRIAGED, DISPATCHED}), ACKNOWLEDGED, MANAGEMENT, True),
        Action("arrive", frozenset({ACKNOWLEDGED, IN_PROGRESS}), ON_SITE, MANAGEMENT, True),
        Action("start", frozenset({ACKNOWLEDGED, ON_SITE}), IN_PROGRESS, MANAGEMENT, True),
        Action("wait_user", WORKING, WAITING_USER, MANAGEMENT, True),
        Action("wait_vendor", WORKING, WAITING_VENDOR, MANAGEMENT, True),
        Action("wait_parts", WORKING, WAITING_PARTS, MANAGEMENT, True),
        Action("resume", WAITING_STATES, IN_PROGRESS, MANAGEMENT, True),
        Action("resolve", WORKING, RESOLVED, MANAGEMENT, True),
        Action("confirm", frozenset({RESOLVED}), CONFIRMED, UNIT | BUREAU),
        Action("reopen", frozenset({RESOLVED, CONFIRMED, CLOSED}), IN_PROGRESS, UNIT | BUREAU | MANAGEMENT),
        Action("close", frozenset({CONFIRMED}), CLOSED, MANAGEMENT | BUREAU),
        Action("cancel", frozenset({REPORTED, TRIAGED}), CANCELLED, MANAGEMENT),
    )
}


class TransitionRefused(Exception):
    """An action that the state or the role does not allow; the message says which."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def check(action_name: str, state: str, role: str, *, is_assignee: bool = False) -> Action:
    """The action, if `role` may take it from `state`; TransitionRefused otherwise."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise TransitionRefused("unknown_action", f"unknown action {action_name!r}")
    if state not in action.sources:
        raise TransitionRefused("state", f"cannot {action_name} a ticket that is {state}")
    if role not in action.roles and not (action.assignee_may and is_assignee):
        raise TransitionRefused("role", f"role {role!r} may not {action_name}")
    return action


def available(state: str, role: str, *, is_assignee: bool = False) -> list[str]:
    """The actions `role` may take now, in lifecycle order."""
    names = []
    for name, action in ACTIONS.items():
        if state in action.sources and (role in action.roles or (action.assignee_may and is_assignee)):
            names.append(name)
    return names
