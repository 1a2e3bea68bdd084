"""Password rules of GB/T 22239-2019 level 3 (身份鉴别: 口令复杂度、定期更换), as Django validators.

Length, similarity and common passwords are Django's own validators (settings.AUTH_PASSWORD_VALIDATORS);
here: three of the four character classes, never the username, never one of the last five passwords.
"""

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = [re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"), re.compile(r"[^a-zA-Z0-9]")]


class CharacterClassesValidator:
    def __init__(self, classes: int = 3):
        self.classes = classes

    def validate(self, password, user=None):
        if sum(1 for pattern in CLASSES if pattern.search(password)) < self.classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号四类中的至少 %(n)s 类") % {"n": self.classes},
                code="password_too_simple")

    def get_help_text(self):
        return _("至少包含小写字母、大写字母、数字、符号中的 %(n)s 类") % {"n": self.classes}


class NotTheUsernameValidator:
    """The username, in any case and even reversed, is not part of the password."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and (username in password.lower() or username[::-1] in password.lower()):
            raise ValidationError(_("密码不能包含用户名"), code="password_has_username")

    def get_help_text(self):
        return _("不能包含用户名")


class PasswordHistoryValidator:
    """Not the current password, nor any of the `history` before it (kept hashed in PasswordHistory)."""

    def __init__(self, history: int = 5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory, User

        stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        earlier = list(PasswordHistory.objects.filter(user_id=user.pk)
                       .values_list("password", flat=True)[: self.history])
        if any(encoded and check_password(password, encoded) for encoded in [stored, *earlier]):
            raise ValidationError(
                _("新密码不能与最近 %(n)s 次使用过的密码相同") % {"n": self.history}, code="password_reused")

    def get_help_text(self):
        return _("不能与最近 %(n)s 次使用过的密码相同") % {"n": self.history}
