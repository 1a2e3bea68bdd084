from django.db.models import QuerySet

from .choices import OrganisationKind
from .models import ApiToken, Organisation, User


def token_list(user) -> QuerySet[ApiToken]:
    """A user's own tokens (nobody sees another person's tokens)."""
    return ApiToken.objects.filter(user=user)


def staff_list(role: str | None = None) -> QuerySet[User]:
    """Contractor staff, e.g. to choose whom to assign to a system."""
    staff = User.objects.filter(organisation__kind=OrganisationKind.CONTRACTOR, is_active=True)
    return staff.filter(role=role) if role else staff


def bureau() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.BUREAU).first()


def account_list(manager, filters: dict | None = None) -> QuerySet[User]:
    """The accounts a manager manages, filtered (q: username or name; kind; role; active)."""
    from django.db.models import Q

    from .accounts import manageable_accounts

    accounts = manageable_accounts(manager).order_by("organisation__kind", "organisation__name", "username")
    filters = filters or {}
    if q := (filters.get("q") or "").strip():
        accounts = accounts.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if kind := filters.get("kind"):
        accounts = accounts.filter(organisation__kind=kind)
    if role := filters.get("role"):
        accounts = accounts.filter(role=role)
    if filters.get("active") in ("0", "1"):
        accounts = accounts.filter(is_active=filters["active"] == "1")
    return accounts


def display_names(usernames) -> dict[str, str]:
    """{username: the person's name} (the login where no name is recorded), for pages that hold logins
    in stored data, e.g. a ticket's timeline."""
    return {username: full_name or username
            for username, full_name in User.objects.filter(username__in=set(usernames))
            .values_list("username", "full_name")}
