"""Accounts and role assignments: a role held over one organisation's subtree for a period."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.scoping import Action, OutOfScope, RestrictedQuerySet, scope_for


class UserQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """Accounts holding a role (now or in the past) inside the user's scope; administrators see all."""
        if scope_for(user).covers_all(Action.ADMINISTER):
            return self
        holders = RoleAssignment.objects.restrict(user, action).values("user_id")
        return self.filter(pk__in=holders)

    def get_in_scope(self, user, action: str = Action.VIEW, **lookup):
        try:
            return self.restrict(user, action).get(**lookup)
        except self.model.DoesNotExist as exc:
            raise OutOfScope("account not found in scope") from exc


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Accounts are deactivated, never deleted (history points at them)."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("Tài khoản không bị xóa; hãy khóa tài khoản.", [self])


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    OFFICE = "office", _("Văn phòng cấp ủy")
    SECRETARY = "secretary", _("Bí thư")
    INSPECTION = "inspection", _("Ủy ban kiểm tra")
    MEMBER = "member", _("Đảng viên")


# What each role may do over its subtree. The administrator's assignment has no organisation: everything.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({Action.VIEW, Action.CHANGE, Action.ADMINISTER}),
    Role.OFFICE: frozenset({Action.VIEW, Action.CHANGE}),
    Role.SECRETARY: frozenset({Action.VIEW, Action.CHANGE}),
    Role.INSPECTION: frozenset({Action.VIEW}),
    # A member sees only their own member record (the member module), nothing of the tree.
    Role.MEMBER: frozenset(),
}


class RoleAssignmentQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"

    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class RoleAssignment(models.Model):
    """``user`` holds ``role`` over ``organisation`` and all its descendants from ``valid_from`` to
    ``valid_to`` (inclusive). Only the administrator role has no organisation."""

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=timezone.localdate)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        ordering = ["user_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="accounts_role_period_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=(Q(role="admin") & Q(organisation__isnull=True))
                | (~Q(role="admin") & Q(organisation__isnull=False)),
                name="accounts_role_organisation_matches_role",
                violation_error_message=_(
                    "Quản trị hệ thống không gắn với tổ chức; các vai trò khác phải gắn với một tổ chức."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation.name if self.organisation_id else "toàn hệ thống"
        return f"{self.user} — {self.get_role_display()} — {where}"


class LoginAttempt(models.Model):
    """A failed sign-in, kept for throttling per account and per address. The address is stored as a
    keyed hash, not in clear, and the rows are pruned after the throttling window."""

    username = models.CharField(max_length=150, db_index=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    time = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("đăng nhập thất bại")
        verbose_name_plural = _("đăng nhập thất bại")

    def __str__(self) -> str:
        return f"{self.username} {self.time:%d/%m/%Y %H:%M}"
