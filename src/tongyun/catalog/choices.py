from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The eight categories of the tender (chapter 5, 五、拟投入的服务人员要求)."""

    GOV_OFFICE = "政务办公信息化", _("政务办公信息化")
    IOT_SENSING = "物联网感知", _("物联网感知")
    OFFSITE_ENFORCEMENT = "非现场执法", _("非现场执法")
    GOV_SECURITY = "政务及安全", _("政务及安全")
    DESKTOP_MEETING = "桌面及会议保障", _("桌面及会议保障")
    PUBLIC_SAFETY = "公共安全", _("公共安全")
    CITY_MANAGEMENT = "城市管理", _("城市管理")
    EDUCATION = "教育教务", _("教育教务")


class DeploymentKind(models.TextChoices):
    GOV_CLOUD = "gov_cloud", _("政务云")
    DISTRICT_IDC = "district_idc", _("区信息中心机房")
    PUBLIC_CLOUD = "public_cloud", _("公有云")
    UNIT_ROOM = "unit_room", _("单位自有机房")
    SPECIAL_NETWORK = "special_network", _("专网")
    SAAS = "saas", _("SaaS 服务")
    TERMINAL = "terminal", _("终端/无服务器")
    MIXED = "mixed", _("混合部署")
    OTHER = "other", _("其他")


class SystemStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    ACTIVE = "active", _("运维中")
    SHUT_DOWN = "shut_down", _("已停运")


class Severity(models.TextChoices):
    """Fault severities of the tender (轻微/一般/严重/紧急); OTHER covers per-asset-class tiers."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")
    URGENT = "urgent", _("紧急")
    OTHER = "other", _("其他")


class TimeUnit(models.TextChoices):
    MINUTE = "minute", _("分钟")
    HOUR = "hour", _("小时")
    DAY = "day", _("自然日")
    WORKING_DAY = "working_day", _("工作日")
    WORKING_HOUR = "working_hour", _("工作小时")


class TermPeriod(models.TextChoices):
    ALWAYS = "always", _("全天")
    BUSINESS_HOURS = "business_hours", _("工作时段内")
    OUTSIDE_BUSINESS_HOURS = "outside_business_hours", _("工作时段外")
    # the row's own targets inside a major-event period (重保期) that covers the system
    MAJOR_EVENT = "major_event", _("重保期间")


class SlaForm(models.TextChoices):
    SEVERITY_TIERS = "severity_tiers", _("按故障等级")
    ASSET_CLASS = "asset_class", _("按设备类别")
    HEALTH_TEMPLATE = "health_template", _("卫健模板（响应/到场/修复/应急恢复）")
    TIMELY_ONLY = "timely_only", _("仅要求“及时”")
    OTHER = "other", _("其他")


class Frequency(models.TextChoices):
    DAILY = "daily", _("每日")
    WORKING_DAILY = "working_daily", _("每个工作日")
    WEEKLY = "weekly", _("每周")
    TEN_DAILY = "ten_daily", _("每旬")
    SEMIMONTHLY = "semimonthly", _("每半月")
    MONTHLY = "monthly", _("每月")
    BIMONTHLY = "bimonthly", _("每两月")
    QUARTERLY = "quarterly", _("每季度")
    SEMIQUARTERLY = "semiquarterly", _("每季度两次")
    EVERY_N_DAYS = "every_n_days", _("每 N 天")
    TIMES_PER_YEAR = "times_per_year", _("每年 N 次")
    FOUR_PER_YEAR = "four_per_year", _("每年四次")
    SEMIANNUAL = "semiannual", _("每半年")
    ANNUAL = "annual", _("每年")
    ON_DEMAND = "on_demand", _("按需")
    OTHER = "other", _("其他")


class InspectionMode(models.TextChoices):
    REMOTE = "remote", _("远程")
    ONSITE = "onsite", _("现场")
    UNSPECIFIED = "unspecified", _("未指明")


class ChangeKind(models.TextChoices):
    UPGRADE = "upgrade", _("升级改造")
    SHUTDOWN = "shutdown", _("停运")
    START_DATE = "start_date", _("服务开始时间变更")
    END_DATE = "end_date", _("服务结束时间变更")
    RESUME = "resume", _("恢复运维")
    OTHER = "other", _("其他")
