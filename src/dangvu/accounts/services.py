"""Writes to accounts and role assignments, with history."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.core.audit import record_change, snapshot
from dangvu.core.models import ChangeAction
from dangvu.core.scoping import Action, OutOfScope, forget_scope, scope_for

from .models import Role, RoleAssignment, User


@transaction.atomic
def user_create(
    *, by, username: str, password: str, full_name: str = "", email: str = "", organisation=None
) -> User:
    """A new account. ``organisation`` is where its history is kept (the organisation of its first role)."""
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": "Hãy nhập tên đăng nhập."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"Tên đăng nhập “{username}” đã có."})
    user = User(username=username, full_name=full_name.strip(), email=email.strip())
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        obj=user,
        action=ChangeAction.CREATE,
        by=by,
        organisation=organisation,
        data=snapshot(user, ("username", "full_name", "email")),
        reason="Tạo tài khoản",
    )
    return user


@transaction.atomic
def account_open(
    *,
    by,
    username: str,
    password: str,
    full_name: str,
    email: str = "",
    role: str,
    organisation,
    valid_from: dt.date | None = None,
    reason: str = "",
) -> User:
    """Open an account together with its first role, so it is born inside the officer's scope."""
    user = user_create(
        by=by,
        username=username,
        password=password,
        full_name=full_name,
        email=email,
        organisation=organisation,
    )
    role_assign(
        by=by,
        user=user,
        role=role,
        organisation=organisation,
        valid_from=valid_from,
        reason=reason or "Mở tài khoản",
    )
    return user


@transaction.atomic
def role_end(
    *, by, assignment: RoleAssignment, last_day: dt.date | None = None, reason: str
) -> RoleAssignment:
    """End a role: it stays in force until ``last_day`` (today by default), and stays in the history."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Hãy ghi lý do (ví dụ: chuyển công tác, hết nhiệm kỳ)."})
    acting = scope_for(by)
    if assignment.role == Role.ADMIN or assignment.organisation_id is None:
        if not acting.covers_all(Action.ADMINISTER):
            raise OutOfScope("only an administrator ends an administrator role")
    else:
        assignment = RoleAssignment.objects.get_in_scope(by, Action.CHANGE, pk=assignment.pk)
    last_day = last_day or timezone.localdate()
    if last_day < assignment.valid_from:
        raise ValidationError(
            {"last_day": f"Ngày cuối phải từ {assignment.valid_from:%d/%m/%Y} (ngày bắt đầu vai trò) trở đi."}
        )
    if assignment.valid_to is not None and assignment.valid_to <= last_day:
        raise ValidationError({"last_day": f"Vai trò này đã kết thúc ngày {assignment.valid_to:%d/%m/%Y}."})
    before = assignment.valid_to
    RoleAssignment.objects.filter(pk=assignment.pk).update(valid_to=last_day)
    assignment.valid_to = last_day
    forget_scope(assignment.user)
    record_change(
        obj=assignment,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=assignment.organisation,
        changes={"valid_to": [before, last_day]},
        reason=reason.strip(),
        effective_on=last_day,
    )
    return assignment


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


@transaction.atomic
def account_set_active(*, by, user: User, active: bool, reason: str) -> User:
    """Lock (or unlock) an account. An officer may do it only when every role the account ever held lies in
    the officer's subtree; an administrator may always. Nobody locks themselves out."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Hãy ghi lý do (ví dụ: nghỉ hưu, chuyển công tác)."})
    if user.pk == getattr(by, "pk", None):
        raise ValidationError("Không thể tự khóa tài khoản của chính mình.")
    if not scope_for(by).covers_all(Action.ADMINISTER):
        changeable = RoleAssignment.objects.restrict(by, Action.CHANGE).values("pk")
        roles = RoleAssignment.objects.filter(user=user)
        if not roles.exists() or roles.exclude(pk__in=changeable).exists():
            raise OutOfScope("the account also holds roles outside the acting user's scope")
    if user.is_active == active:
        raise ValidationError("Tài khoản đã ở trạng thái này.")
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    first_role = RoleAssignment.objects.filter(user=user).select_related("organisation").first()
    record_change(
        obj=user,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=first_role.organisation if first_role else None,
        changes={"is_active": [not active, active]},
        reason=reason.strip(),
    )
    return user
