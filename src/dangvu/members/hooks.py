"""How the member module takes part in restructuring the tree: a merge moves the source's members to the
target; an organisation that still has members cannot be dissolved."""

from __future__ import annotations

from dangvu.core.audit import record_change
from dangvu.core.models import ChangeAction
from dangvu.orgs import services as org_services

from .models import IN_PARTY, Member


def move_members_on_merge(*, source, target, by, on, reason) -> None:
    from .services import check_home, move_member

    members = list(Member.objects.select_for_update().filter(organisation=source, status__in=IN_PARTY))
    if members:
        check_home(target, on, field="target")
    for member in members:
        move_member(member, target.pk, on)
        record_change(
            obj=member,
            action=ChangeAction.MERGE,
            by=by,
            organisation=target,
            changes={"organisation": [source.pk, target.pk]},
            reason=reason,
            effective_on=on,
        )


def refuse_dissolving_with_members(organisation) -> str | None:
    count = Member.objects.filter(
        organisation__path__startswith=organisation.path, status__in=IN_PARTY
    ).count()
    if count:
        return (
            f"“{organisation.name}” còn {count} đảng viên: "
            "hãy chuyển sinh hoạt hoặc hợp nhất trước khi giải thể."
        )
    return None


if move_members_on_merge not in org_services.merge_hooks:
    org_services.merge_hooks.append(move_members_on_merge)
if refuse_dissolving_with_members not in org_services.dissolve_checks:
    org_services.dissolve_checks.append(refuse_dissolving_with_members)
