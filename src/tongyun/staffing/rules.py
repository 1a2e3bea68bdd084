"""The post rules of the contract (ST-02, ST-03, ST-04) — one table, read by services and selectors."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import CertificateKind, Post


@dataclass(frozen=True)
class PostRule:
    post: str
    minimum: int
    maximum: int | None  # None: no upper bound
    source: str  # tender lines
    required_certificate: str | None = None  # "需": without a valid one the person does not count


POST_RULES: list[PostRule] = [
    PostRule(Post.PROJECT_MANAGER, 1, 1, "L27431–L27433"),
    PostRule(Post.DISPATCHER, 1, 1, "L27435–L27437"),
    PostRule(Post.SECURITY_OFFICER, 1, None, "L27439–L27441"),
    PostRule(Post.DATA_QUALITY_OFFICER, 1, None, "L27443–L27445"),
    PostRule(Post.WEAK_CURRENT, 10, None, "L27447–L27449"),
    # "需具有电工证（低压），做到持证上岗" (L27451): the only certificate the contract requires.
    PostRule(Post.ELECTRICIAN, 4, None, "L27451", required_certificate=CertificateKind.LOW_VOLTAGE),
]
RULE_BY_POST = {rule.post: rule for rule in POST_RULES}
# Desirable (宜) qualifications, shown but not counted against the rule (ST-03).
DESIRABLE_CERTIFICATES: dict[str, tuple[str, ...]] = {
    Post.PROJECT_MANAGER: (CertificateKind.SENIOR_PM,),
    Post.DISPATCHER: (CertificateKind.SENIOR_PM,),
    Post.SECURITY_OFFICER: (CertificateKind.CISP,),
    Post.DATA_QUALITY_OFFICER: (CertificateKind.SENIOR_ANALYST,),
    Post.WEAK_CURRENT: (CertificateKind.SAFETY_C, CertificateKind.DRIVING),
}
NO_DUAL_POSTS = _("上述岗位人员不得兼任两个或以上的职务（L27453）")
MIN_SOCIAL_INSURANCE_MONTHS = 3  # ST-03, L2169–L2218
# ST-05 (L28550–L28556): "应提前 7天书面通知用户单位" — the tender says 7 days, not 7 working days: calendar days.
NOTICE_DAYS = 7
CERTIFICATE_WARNING_DAYS = 30
# The stages of a certificate's end told to the PM, each once (days before valid_until; 0: expired).
CERTIFICATE_NOTICE_DAYS = (CERTIFICATE_WARNING_DAYS, 7, 0)
# Rows whose text requires per-system duty staff in major-event periods (DP-07, DP-08, DP-11).
MAJOR_EVENT_DUTY_ROWS = (2, 6, 17, 18, 64, 65, 84, 127)
MIN_EVENT_GROUPS = 3  # DP-04, L27569–L27573
MIN_GROUP_SIZE = 2
READINESS_LEAD_DAYS = 7
# Trainings the rows require (OT-01): row → (times a year, basis).
TRAINING_ROWS = {46: (2, "每年培训不少于 2 次（L10271）"), 70: (1, "每年一次用户培训（L14294）")}
# "需要在系统升级后提供培训" (OT-01): the rows whose text asks for a training after each upgrade, with the
# line of the sentence. Rows 44 and 46 of 38–47 do not say it (46 has its own "≥ 2 a year", above).
UPGRADE_TRAINING_ROWS = {
    38: "L9037–L9039", 39: "L9195–L9197", 40: "L9361–L9365", 41: "L9532–L9536", 42: "L9680–L9682",
    43: "L9837–L9839", 45: "L10135–L10137", 47: "L10450–L10452",
}
# The tender sets no deadline for it: 10 working days after the upgrade takes effect (a judgement, on the
# working calendar so that holidays and 调休 days count right).
UPGRADE_TRAINING_WORKING_DAYS = 10
