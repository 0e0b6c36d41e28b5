"""Scoped reads of accounts and role assignments."""

from __future__ import annotations

from django.db.models import Prefetch

from dangvu.core.text import full_name_sort_key, normalise

from .models import RoleAssignment, User


def account_list(*, fetched_by, q: str | None = None) -> list[User]:
    """Accounts holding a role in the user's scope, each with only the roles the user may see,
    sorted the Vietnamese way by full name."""
    visible_roles = (
        RoleAssignment.objects.restrict(fetched_by).select_related("organisation").order_by("-valid_from")
    )
    qs = User.objects.restrict(fetched_by).prefetch_related(
        Prefetch("role_assignments", queryset=visible_roles, to_attr="visible_roles")
    )
    users = list(qs)
    if q:
        # Accounts are few per scope: match without diacritics in Python ("nguyen" finds "Nguyễn").
        needle = normalise(q)
        users = [u for u in users if needle in normalise(f"{u.username} {u.full_name}")]
    return sorted(users, key=lambda u: full_name_sort_key(u.full_name or u.username))


def account_get(*, fetched_by, pk, action="view") -> User:
    return User.objects.get_in_scope(fetched_by, action, pk=pk)


def roles_of(*, fetched_by, user: User):
    return (
        RoleAssignment.objects.restrict(fetched_by)
        .filter(user=user)
        .select_related("organisation")
        .order_by("-valid_from")
    )
