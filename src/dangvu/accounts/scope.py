"""A user's scope from their role assignments in force today."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.utils import timezone

from dangvu.core.scoping import Action, Scope

from .models import ROLE_ACTIONS, Role, RoleAssignment


def _outermost(paths: set[str]) -> tuple[str, ...]:
    """Drop paths inside another path of the set: their subtrees are covered already."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return tuple(sorted(kept))


def compute_scope(user) -> Scope:
    today = timezone.localdate()
    assignments = RoleAssignment.objects.in_force(today).filter(user=user).select_related("organisation")
    everything: set[str] = set()
    paths: dict[str, set[str]] = defaultdict(set)
    for assignment in assignments:
        actions = ROLE_ACTIONS[assignment.role]
        if assignment.role == Role.ADMIN:
            everything |= actions
            continue
        for action in actions:
            paths[action].add(assignment.organisation.path)
    return Scope(
        everything=frozenset(everything),
        paths={action: _outermost(found) for action, found in paths.items() if action not in everything},
        member_ids=_own_member_ids(user),
    )


def _own_member_ids(user) -> tuple[int, ...]:
    """The member record(s) tied to this account: a member always sees their own record."""
    if not apps.is_installed("dangvu.members"):
        return ()
    member = apps.get_model("members", "Member")
    return tuple(member.objects.filter(user=user).values_list("pk", flat=True))


def roles_in_force(user):
    return (
        RoleAssignment.objects.in_force()
        .filter(user=user)
        .select_related("organisation")
        .order_by("role", "organisation__path")
    )


def is_administrator(user) -> bool:
    from dangvu.core.scoping import scope_for

    return scope_for(user).covers_all(Action.ADMINISTER)
