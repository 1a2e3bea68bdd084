"""Flow types: which parties decide on a kind of subject, in which order.

A domain registers its flow types in its AppConfig.ready():

    flows.register(flows.FlowType(
        key="spares.replacement", label=_("备件更换确认"),
        steps=[flows.Step(Party.PURCHASER), flows.Step(Party.SUPERVISOR)],
        on_complete=issue_allowed,        # (signoff) -> None, inside the deciding transaction
    ))

Who may decide for a party (unless a step names its own roles):
- contractor: the project manager;
- unit: an administrator of the sign-off's user unit;
- supervisor: the supervisor;
- bureau: a bureau administrator;
- purchaser: an administrator of the sign-off's user unit, or a bureau administrator.

A step with a `subject_action` ("在报告页面提交") is decided only through the subject's own service, which
passes `by_subject=True`; the generic pages and API refuse it and point to the subject instead.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tongyun.parties.choices import Role

from .choices import Party

DEFAULT_ROLES: dict[str, frozenset[str]] = {
    Party.CONTRACTOR: frozenset({Role.PROJECT_MANAGER}),
    Party.UNIT: frozenset({Role.UNIT_ADMIN}),
    Party.SUPERVISOR: frozenset({Role.SUPERVISOR}),
    Party.BUREAU: frozenset({Role.BUREAU_ADMIN}),
    Party.PURCHASER: frozenset({Role.UNIT_ADMIN, Role.BUREAU_ADMIN}),
}
# Roles that decide for a party only for their own organisation (the sign-off's user unit).
UNIT_BOUND_ROLES = frozenset({Role.UNIT_ADMIN, Role.UNIT_STAFF})


@dataclass(frozen=True)
class Step:
    party: str
    roles: frozenset[str] | None = None  # None: DEFAULT_ROLES[party]
    label: str = ""  # shown instead of the party's name, e.g. "用户单位确认"
    # Decided only by the subject domain's own action (services.decide(..., by_subject=True)), never on the
    # generic sign-off pages or API: e.g. a report's submission, which takes the data snapshot the later
    # parties sign — approving a returned report there would skip the new snapshot. Names that action.
    subject_action: str = ""

    @property
    def deciding_roles(self) -> frozenset[str]:
        return frozenset(self.roles) if self.roles is not None else DEFAULT_ROLES[self.party]


def _nothing(signoff) -> None:
    return None


@dataclass(frozen=True)
class FlowType:
    key: str  # "<domain>.<name>"
    label: str
    steps: list[Step]
    # Reactions of the subject's domain, called inside the deciding transaction (an exception undoes it).
    on_complete: Callable = field(default=_nothing)
    on_return: Callable = field(default=_nothing)  # (signoff, to_position)
    on_reject: Callable = field(default=_nothing)
    on_withdraw: Callable = field(default=_nothing)
    # A returned sign-off goes back to this step unless the decider names an earlier one.
    return_to: int = 0
    # May a party return it, or only approve or reject?
    allows_return: bool = True
    allows_reject: bool = False
    # One person decides at most one step (the purchaser who confirmed does not also sign as bureau).
    distinct_deciders: bool = True


_flows: dict[str, FlowType] = {}


def register(flow: FlowType) -> None:
    if not flow.steps:
        raise ValueError(f"flow {flow.key!r} has no steps")
    _flows[flow.key] = flow


def get(key: str) -> FlowType:
    try:
        return _flows[key]
    except KeyError:
        raise LookupError(f"no sign-off flow {key!r} is registered") from None


def registered() -> list[FlowType]:
    return sorted(_flows.values(), key=lambda f: f.key)
