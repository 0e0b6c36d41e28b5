"""Writes to accounts and role assignments, with history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.core.audit import record_change, snapshot
from dangvu.core.models import ChangeAction
from dangvu.core.scoping import Action, OutOfScope, forget_scope, scope_for

from .models import Role, RoleAssignment, User


@transaction.atomic
def user_create(*, by, username: str, password: str, full_name: str = "", email: str = "") -> User:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": "Hãy nhập tên đăng nhập."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"Tên đăng nhập “{username}” đã có."})
    user = User(username=username, full_name=full_name.strip(), email=email.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        obj=user,
        action=ChangeAction.CREATE,
        by=by,
        data=snapshot(user, ("username", "full_name", "email")),
        reason="Tạo tài khoản",
    )
    return user


@transaction.atomic
def role_assign(
    *,
    by,
    user: User,
    role: str,
    organisation=None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Give ``user`` a role over ``organisation``'s subtree. An officer can only hand out roles inside
    their own subtree; only an administrator makes administrators."""
    acting = scope_for(by)
    if role == Role.ADMIN:
        if not acting.covers_all(Action.ADMINISTER):
            raise OutOfScope("only an administrator appoints administrators")
    elif organisation is None:
        raise ValidationError({"organisation": "Hãy chọn tổ chức cho vai trò này."})
    elif not acting.covers_all(Action.ADMINISTER) and not acting.allows_path(
        organisation.path, Action.CHANGE
    ):
        raise OutOfScope("organisation outside the acting user's scope")
    assignment = RoleAssignment(
        user=user,
        role=role,
        organisation=organisation,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
    )
    assignment.full_clean()
    assignment.save()
    forget_scope(user)
    record_change(
        obj=assignment,
        action=ChangeAction.CREATE,
        by=by,
        organisation=organisation,
        data=snapshot(assignment, ("user", "role", "organisation", "valid_from", "valid_to")),
        reason=reason or "Phân công vai trò",
    )
    return assignment
