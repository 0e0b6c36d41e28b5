"""Background tasks of the accounts app (run by ``dangvu worker``)."""

from __future__ import annotations

from django_tasks import task

from .throttle import prune_old_failures


@task()
def prune_login_attempts() -> int:
    """Forget failed sign-ins older than the throttling window."""
    return prune_old_failures()
