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
