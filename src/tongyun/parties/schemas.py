"""Bodies and answers of the account administration API (/api/v1/accounts/…)."""

from datetime import datetime

from ninja import Field, Schema

from tongyun.core.schemas import FilterSchema, Id, InputSchema

from .choices import OrganisationKind, Role


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    organisation_id: int | None
    organisation: str | None
    # the organisation when it is a user unit: the cross-unit walk checks it against the viewer's units
    unit_id: int | None
    phone: str
    email: str
    is_active: bool
    must_change_password: bool
    last_login: datetime | None

    @staticmethod
    def resolve_role_label(account) -> str:
        return account.get_role_display()

    @staticmethod
    def resolve_organisation(account) -> str | None:
        return account.organisation.name if account.organisation_id else None

    @staticmethod
    def resolve_unit_id(account) -> int | None:
        organisation = account.organisation
        return organisation.id if organisation and organisation.kind == OrganisationKind.UNIT else None


class AccountFilters(FilterSchema):
    q: str | None = Field(None, max_length=100, description="用户名或姓名")
    kind: str | None = Field(None, max_length=20, description="单位类型")
    role: Role | None = None
    active: bool | None = None


class AccountCreateIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    role: Role
    organisation_id: Id
    password: str = Field(min_length=1, max_length=128, description="初始密码：首次登录须修改")
    full_name: str = Field("", max_length=50)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)


class AccountUpdateIn(InputSchema):
    """Only the fields sent change."""

    full_name: str | None = Field(None, max_length=50)
    role: Role | None = None
    organisation_id: Id | None = None
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)


class PasswordResetIn(InputSchema):
    password: str = Field(min_length=1, max_length=128, description="新密码：该账号下次登录须修改")


class UnitContactOut(Schema):
    id: int
    name: str
    kind: str
    contact_name: str
    contact_phone: str
    contact_email: str


class UnitContactIn(InputSchema):
    """Only the fields sent change."""

    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=50)
    contact_email: str | None = Field(None, max_length=254)
