"""Background tasks of the members app (run by ``dangvu worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_member_import(job_id: int) -> str:
    """Check and (unless a dry run) write a large member import; the job shows the progress."""
    from .imports import run_queued_import

    return run_queued_import(job_id)
