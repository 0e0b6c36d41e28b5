"""The scoping gate: every queryset that reaches a user goes through ``restrict(user, action)``.

A user's scope is the organisation of each of their role assignments in force today plus all its
descendants (a path prefix in the materialised-path tree). Querysets of other models name the field
that leads to their organisation (``scope_org_field``) and are filtered with an ``id__in`` subquery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    ADMINISTER = "administer"


class OutOfScope(Http404):
    """The object is outside the user's scope: answered as if it did not exist."""


class NotAllowed(PermissionDenied):
    """The user may see the object but may not do this to it."""


@dataclass(frozen=True)
class Scope:
    """What one user may reach, per action: everything, or the subtrees under some paths."""

    everything: frozenset[str] = frozenset()
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    member_ids: tuple[int, ...] = ()

    def covers_all(self, action: str) -> bool:
        return action in self.everything

    def paths_for(self, action: str) -> tuple[str, ...]:
        return self.paths.get(action, ())

    def allows_path(self, path: str, action: str) -> bool:
        return self.covers_all(action) or any(path.startswith(p) for p in self.paths_for(action))

    def path_q(self, action: str, prefix: str = "") -> Q:
        """A Q over ``<prefix>path`` that matches the subtrees of this scope (never matches when empty)."""
        paths = self.paths_for(action)
        if not paths:
            return Q(pk__in=[])
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition


EMPTY_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (that is, once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_dangvu_scope", None)
    if cached is None:
        from dangvu.accounts.scope import compute_scope

        cached = compute_scope(user)
        user._dangvu_scope = cached
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope, e.g. after the user's role assignments changed."""
    if hasattr(user, "_dangvu_scope"):
        del user._dangvu_scope


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to keep itself inside a user's scope.

    ``scope_org_field`` is the lookup from this model to its organisation; ``""`` means the model is the
    organisation itself. A model whose rows are not tied to the tree sets ``scope_global = True``.
    """

    scope_org_field: str = "organisation"
    scope_global: bool = False

    def restrict(self, user, action: str = Action.VIEW):
        scope = scope_for(user)
        if self.scope_global:
            # Global reference data (rules, calendar): any signed-in user may read it,
            # only a system administrator may change it.
            if action == Action.VIEW and getattr(user, "is_authenticated", False):
                return self
            return self if scope.covers_all(Action.ADMINISTER) else self.none()
        if scope.covers_all(action):
            return self
        if not scope.paths_for(action):
            return self.none()
        if self.scope_org_field == "":
            return self.filter(scope.path_q(action))
        organisation = apps.get_model("orgs", "Organisation")
        inside = organisation.objects.filter(scope.path_q(action)).values("pk")
        return self.filter(**{f"{self.scope_org_field}__in": inside})

    def get_in_scope(self, user, action: str = Action.VIEW, **lookup):
        """The object, or OutOfScope (a 404) when it does not exist *or* is outside the user's scope."""
        try:
            return self.restrict(user, action).get(**lookup)
        except self.model.DoesNotExist as exc:
            raise OutOfScope(f"{self.model._meta.verbose_name} not found in scope") from exc


def ensure_in_scope(user, obj, action: str = Action.CHANGE) -> None:
    """Re-check inside a write's transaction that ``obj`` is (still) in the user's scope.

    Services call this after changing an object; raising rolls the transaction back, so nobody can
    create or move anything outside their subtree.
    """
    manager = type(obj)._default_manager
    if not manager.all().restrict(user, action).filter(pk=obj.pk).exists():
        raise OutOfScope(f"{type(obj).__name__} {obj.pk} is outside the scope of the acting user")
