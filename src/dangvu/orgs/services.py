"""Writes to the organisation tree: create, update (rename), move, merge, dissolve; terms.

Every service validates (rulebook checks cite their regulation), takes the tree lock, writes in one
transaction, appends the change record, keeps the "as of" timeline, and re-checks inside the
transaction that the result is still within the acting user's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from dangvu.core.audit import diff, record_change, snapshot
from dangvu.core.models import ChangeAction
from dangvu.core.scoping import Action, OutOfScope, ensure_in_scope, scope_for

from . import rules
from .models import Organisation, OrganisationKind, OrganisationVersion, Term

TREE_LOCK_KEY = 7_342_001  # pg_advisory_xact_lock key: one writer restructures the tree at a time
VERSIONED_FIELDS = ("name", "short_name", "code", "kind")
UPDATABLE_FIELDS = ("name", "short_name", "code", "address")
SNAPSHOT_FIELDS = ("name", "short_name", "code", "kind", "parent", "address", "founded_on", "dissolved_on")

# Other apps hook into restructuring (the member module moves members on a merge, refuses to dissolve an
# organisation that still has members). Each hook runs inside the restructuring transaction.
merge_hooks: list[Callable[..., None]] = []
dissolve_checks: list[Callable[[Organisation], str | None]] = []


def _lock_tree() -> None:
    """Serialise writes to the tree. SQLite already serialises writers (IMMEDIATE transactions)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])


def _refuse_unknown_fields(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Trường này không sửa được ở đây."))


def _check_no_overlapping_term(organisation, start_on, end_on, exclude_pk=None) -> None:
    clash = (
        Term.objects.filter(organisation=organisation, start_on__lte=end_on, end_on__gte=start_on)
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start_on": f"Trùng với nhiệm kỳ {clash.label} "
                f"({clash.start_on:%d/%m/%Y}–{clash.end_on:%d/%m/%Y})."
            }
        )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do của thay đổi (sẽ được lưu vào lịch sử)."})
    return reason


def _reload_in_scope(user, organisation: Organisation, action: str = Action.CHANGE) -> Organisation:
    """The current row of ``organisation``, or a 404 if the user may not act on it."""
    return Organisation.objects.get_in_scope(user, action, pk=organisation.pk)


def _require_change_over_parent(user, organisation: Organisation) -> None:
    """Restructuring an organisation is a decision of its superior: the user needs the parent's subtree
    (or, for a top-level organisation, to be a system administrator)."""
    if organisation.parent_id is None:
        if not scope_for(user).covers_all(Action.ADMINISTER):
            raise OutOfScope("only an administrator restructures a top-level organisation")
        return
    Organisation.objects.get_in_scope(user, Action.CHANGE, pk=organisation.parent_id)


def _effective_on(organisation: Organisation, effective_on: dt.date | None, decision_date) -> dt.date:
    today = timezone.localdate()
    on = effective_on or decision_date or today
    if on > today:
        raise ValidationError({"effective_on": "Ngày có hiệu lực không được ở tương lai."})
    current = organisation.versions.filter(valid_to__isnull=True).first()
    if current and on < current.valid_from:
        raise ValidationError(
            {
                "effective_on": f"Ngày có hiệu lực phải từ {current.valid_from:%d/%m/%Y} trở đi "
                f"(ngày của thay đổi gần nhất của tổ chức này)."
            }
        )
    if on < organisation.founded_on:
        raise ValidationError({"effective_on": "Ngày có hiệu lực phải sau ngày thành lập tổ chức."})
    return on


def _require_active(organisation: Organisation, field: str = "organisation") -> None:
    if organisation.dissolved_on is not None:
        raise ValidationError(
            {field: f"“{organisation.name}” đã giải thể ngày {organisation.dissolved_on:%d/%m/%Y}."}
        )


def _open_version(organisation: Organisation, on: dt.date) -> None:
    """Close the version in force and open one that reflects the organisation as it is now."""
    values = {
        "parent_id": organisation.parent_id,
        "kind": organisation.kind,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "code": organisation.code,
    }
    current = organisation.versions.filter(valid_to__isnull=True).first()
    if current is not None and current.valid_from == on:
        OrganisationVersion.objects.filter(pk=current.pk).update(**values)
        return
    if current is not None:
        OrganisationVersion.objects.filter(pk=current.pk).update(valid_to=on - dt.timedelta(days=1))
    OrganisationVersion.objects.create(organisation=organisation, valid_from=on, **values)


def _close_version(organisation: Organisation, on: dt.date) -> None:
    current = organisation.versions.filter(valid_to__isnull=True).first()
    if current is None:
        return
    if current.valid_from >= on:
        # The last version never came into force: the organisation ends the day it would have started.
        current.delete()
    else:
        OrganisationVersion.objects.filter(pk=current.pk).update(valid_to=on - dt.timedelta(days=1))


def _check_code_free(code: str, exclude_pk: int | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": "Hãy nhập mã tổ chức."})
    clash = Organisation.objects.filter(code__iexact=code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ValidationError({"code": f"Mã “{code}” đã được dùng cho “{clash.name}”."})
    return code


@transaction.atomic
def organisation_create(
    *,
    by,
    parent: Organisation | None,
    kind: str,
    name: str,
    code: str,
    founded_on: dt.date,
    short_name: str = "",
    address: str = "",
    reason: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> Organisation:
    """Found a new organisation under ``parent`` (or at the top, for an administrator)."""
    reason = _require_reason(reason)
    _lock_tree()
    if parent is None:
        if not scope_for(by).covers_all(Action.ADMINISTER):
            raise OutOfScope("only an administrator creates a top-level organisation")
    else:
        parent = _reload_in_scope(by, parent)
        _require_active(parent, "parent")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Hãy nhập tên tổ chức."})
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Loại tổ chức không hợp lệ."})
    code = _check_code_free(code)
    if founded_on is None:
        raise ValidationError({"founded_on": "Hãy nhập ngày thành lập."})
    if founded_on > timezone.localdate():
        raise ValidationError({"founded_on": "Ngày thành lập không được ở tương lai."})
    if parent is not None and founded_on < parent.founded_on:
        raise ValidationError({"founded_on": f"Ngày thành lập phải sau ngày thành lập của “{parent.name}”."})
    rules.check_placement(kind=kind, parent=parent, on=founded_on)

    organisation = Organisation(
        kind=kind,
        name=name,
        short_name=(short_name or "").strip(),
        code=code,
        address=(address or "").strip(),
        founded_on=founded_on,
        parent=parent,
    )
    if parent is None:
        organisation = Organisation.objects.add_root(instance=organisation)
    else:
        organisation = Organisation.objects.add_child(parent, instance=organisation)
    _open_version(organisation, founded_on)
    record_change(
        obj=organisation,
        action=ChangeAction.CREATE,
        by=by,
        data=snapshot(organisation, SNAPSHOT_FIELDS),
        reason=reason,
        decision_number=decision_number,
        decision_date=decision_date,
        effective_on=founded_on,
    )
    ensure_in_scope(by, organisation, Action.CHANGE)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    by,
    organisation: Organisation,
    reason: str,
    effective_on: dt.date | None = None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    **changes,
) -> Organisation:
    """Rename or correct an organisation (name, short name, code, address)."""
    _refuse_unknown_fields(changes, UPDATABLE_FIELDS)
    reason = _require_reason(reason)
    _lock_tree()
    organisation = _reload_in_scope(by, organisation)
    _require_active(organisation)
    before = snapshot(organisation, SNAPSHOT_FIELDS)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ValidationError({"name": "Hãy nhập tên tổ chức."})
    if "code" in changes:
        changes["code"] = _check_code_free(changes["code"], exclude_pk=organisation.pk)
    for name, value in changes.items():
        setattr(organisation, name, (value or "").strip() if isinstance(value, str) else value)
    after = snapshot(organisation, SNAPSHOT_FIELDS)
    changed = diff(before, after)
    if not changed:
        raise ValidationError("Không có thay đổi nào để lưu.")
    on = _effective_on(organisation, effective_on, decision_date)
    organisation.save()
    if set(changed) & set(VERSIONED_FIELDS):
        _open_version(organisation, on)
    record_change(
        obj=organisation,
        action=ChangeAction.UPDATE,
        by=by,
        changes=changed,
        reason=reason,
        decision_number=decision_number,
        decision_date=decision_date,
        effective_on=on,
    )
    ensure_in_scope(by, organisation, Action.CHANGE)
    return organisation


def _move_under(organisation: Organisation, new_parent: Organisation) -> Organisation:
    Organisation.objects.move(organisation, new_parent, "last-child")
    organisation = Organisation.objects.get(pk=organisation.pk)
    organisation.parent = new_parent
    organisation.save(update_fields=["parent", "name_search"])
    return organisation


@transaction.atomic
def organisation_move(
    *,
    by,
    organisation: Organisation,
    new_parent: Organisation,
    reason: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    effective_on: dt.date | None = None,
) -> Organisation:
    """Transfer an organisation (with its whole subtree) under another superior."""
    reason = _require_reason(reason)
    _lock_tree()
    organisation = _reload_in_scope(by, organisation)
    _require_change_over_parent(by, organisation)
    new_parent = _reload_in_scope(by, new_parent)
    _require_active(organisation)
    _require_active(new_parent, "new_parent")
    if new_parent.path.startswith(organisation.path):
        raise ValidationError(
            {
                "new_parent": f"Không thể chuyển “{organisation.name}” vào chính nó hoặc một tổ chức "
                f"trực thuộc nó (“{new_parent.name}”): cây tổ chức sẽ thành vòng lặp."
            }
        )
    if new_parent.pk == organisation.parent_id:
        raise ValidationError({"new_parent": f"“{organisation.name}” đã trực thuộc “{new_parent.name}”."})
    on = _effective_on(organisation, effective_on, decision_date)
    rules.check_placement(kind=organisation.kind, parent=new_parent, on=on, field="new_parent")
    old_parent = organisation.parent
    organisation = _move_under(organisation, new_parent)
    _open_version(organisation, on)
    record_change(
        obj=organisation,
        action=ChangeAction.MOVE,
        by=by,
        changes={"parent": [old_parent.pk if old_parent else None, new_parent.pk]},
        data={"from": old_parent.name if old_parent else None, "to": new_parent.name},
        reason=reason,
        decision_number=decision_number,
        decision_date=decision_date,
        effective_on=on,
    )
    ensure_in_scope(by, organisation, Action.CHANGE)
    return organisation


@transaction.atomic
def organisation_merge(
    *,
    by,
    source: Organisation,
    target: Organisation,
    reason: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    effective_on: dt.date | None = None,
) -> Organisation:
    """Merge ``source`` into ``target``: its organisations (and, through hooks, its members) move to the
    target, and the source is dissolved with a pointer to where it went. Returns the target."""
    reason = _require_reason(reason)
    _lock_tree()
    source = _reload_in_scope(by, source)
    _require_change_over_parent(by, source)
    target = _reload_in_scope(by, target)
    _require_active(source, "source")
    _require_active(target, "target")
    if source.pk == target.pk:
        raise ValidationError({"target": "Không thể hợp nhất một tổ chức vào chính nó."})
    if target.path.startswith(source.path):
        raise ValidationError(
            {
                "target": f"“{target.name}” trực thuộc “{source.name}”: "
                "không thể hợp nhất vào tổ chức cấp dưới."
            }
        )
    on = _effective_on(source, effective_on, decision_date)
    children = list(Organisation.objects.filter(parent=source, dissolved_on__isnull=True))
    for child in children:
        rules.check_placement(kind=child.kind, parent=target, on=on, field="target")
        _effective_on(child, on, None)
    for child in children:
        moved = _move_under(child, target)
        _open_version(moved, on)
        record_change(
            obj=moved,
            action=ChangeAction.MOVE,
            by=by,
            changes={"parent": [source.pk, target.pk]},
            data={"from": source.name, "to": target.name, "merge_of": source.pk},
            reason=f"Hợp nhất “{source.name}” vào “{target.name}”: {reason}",
            decision_number=decision_number,
            decision_date=decision_date,
            effective_on=on,
        )
    source = Organisation.objects.get(pk=source.pk)
    for hook in merge_hooks:
        hook(source=source, target=target, by=by, on=on, reason=reason)
    source.dissolved_on = on
    source.merged_into = target
    source.save(update_fields=["dissolved_on", "merged_into", "name_search"])
    _close_version(source, on)
    record_change(
        obj=source,
        action=ChangeAction.MERGE,
        by=by,
        changes={"dissolved_on": [None, on], "merged_into": [None, target.pk]},
        data={"target": target.name, "moved_children": [c.pk for c in children]},
        reason=reason,
        decision_number=decision_number,
        decision_date=decision_date,
        effective_on=on,
    )
    ensure_in_scope(by, target, Action.CHANGE)
    return target


@transaction.atomic
def organisation_dissolve(
    *,
    by,
    organisation: Organisation,
    reason: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    effective_on: dt.date | None = None,
) -> Organisation:
    """Dissolve an organisation that no longer has active organisations (or members) under it.
    It stays in the tree, readable with its history."""
    reason = _require_reason(reason)
    _lock_tree()
    organisation = _reload_in_scope(by, organisation)
    _require_change_over_parent(by, organisation)
    _require_active(organisation)
    on = _effective_on(organisation, effective_on, decision_date)
    active_children = Organisation.objects.filter(parent=organisation, dissolved_on__isnull=True).count()
    if active_children:
        raise ValidationError(
            {
                "organisation": f"“{organisation.name}” còn {active_children} tổ chức trực thuộc đang hoạt "
                f"động: hãy chuyển giao, hợp nhất hoặc giải thể các tổ chức đó trước."
            }
        )
    for check in dissolve_checks:
        problem = check(organisation)
        if problem:
            raise ValidationError({"organisation": problem})
    organisation.dissolved_on = on
    organisation.save(update_fields=["dissolved_on", "name_search"])
    _close_version(organisation, on)
    record_change(
        obj=organisation,
        action=ChangeAction.DISSOLVE,
        by=by,
        changes={"dissolved_on": [None, on]},
        reason=reason,
        decision_number=decision_number,
        decision_date=decision_date,
        effective_on=on,
    )
    return organisation


@transaction.atomic
def term_create(
    *,
    by,
    organisation: Organisation,
    start_on: dt.date,
    congress_on: dt.date | None = None,
    end_on: dt.date | None = None,
    number: int | None = None,
    note: str = "",
    reason: str = "",
) -> Term:
    """Record a congress term; its end comes from the term length in force for the organisation's kind
    on the start date, moved only within what the rulebook permits."""
    organisation = _reload_in_scope(by, organisation)
    _require_active(organisation)
    if start_on is None:
        raise ValidationError({"start_on": "Hãy nhập ngày bắt đầu nhiệm kỳ."})
    if start_on < organisation.founded_on:
        raise ValidationError({"start_on": "Nhiệm kỳ không thể bắt đầu trước ngày thành lập tổ chức."})
    if end_on is None:
        end_on = rules.term_end(organisation.kind, start_on)
    else:
        rules.check_term_end(kind=organisation.kind, start_on=start_on, end_on=end_on)
    if congress_on is not None and congress_on > start_on + dt.timedelta(days=31):
        raise ValidationError({"congress_on": "Ngày đại hội phải trước hoặc gần ngày bắt đầu nhiệm kỳ."})
    _check_no_overlapping_term(organisation, start_on, end_on)
    term = Term.objects.create(
        organisation=organisation,
        number=number,
        start_on=start_on,
        end_on=end_on,
        congress_on=congress_on,
        note=(note or "").strip(),
    )
    record_change(
        obj=term,
        action=ChangeAction.CREATE,
        by=by,
        organisation=organisation,
        data=snapshot(term, ("organisation", "number", "start_on", "end_on", "congress_on", "note")),
        reason=(reason or "").strip() or "Ghi nhận nhiệm kỳ",
        effective_on=start_on,
    )
    ensure_in_scope(by, term, Action.CHANGE)
    return term


TERM_FIELDS = ("number", "start_on", "end_on", "congress_on", "note")


@transaction.atomic
def term_update(*, by, term: Term, reason: str, **changes) -> Term:
    """Correct a recorded term (a congress date recorded later, a shifted end): the same rule checks as when
    it was recorded, and the old values stay in the history."""
    _refuse_unknown_fields(changes, TERM_FIELDS)
    reason = _require_reason(reason)
    term = Term.objects.get_in_scope(by, Action.CHANGE, pk=term.pk)
    organisation = term.organisation
    _require_active(organisation)
    before = snapshot(term, TERM_FIELDS)
    for name, value in changes.items():
        setattr(term, name, value)
    if "start_on" in changes and "end_on" not in changes:
        term.end_on = rules.term_end(organisation.kind, term.start_on)
    if term.start_on < organisation.founded_on:
        raise ValidationError({"start_on": "Nhiệm kỳ không thể bắt đầu trước ngày thành lập tổ chức."})
    rules.check_term_end(kind=organisation.kind, start_on=term.start_on, end_on=term.end_on)
    _check_no_overlapping_term(organisation, term.start_on, term.end_on, exclude_pk=term.pk)
    changed = diff(before, snapshot(term, TERM_FIELDS))
    if not changed:
        raise ValidationError("Không có thay đổi nào để lưu.")
    term.save()
    record_change(
        obj=term, action=ChangeAction.UPDATE, by=by, organisation=organisation, changes=changed, reason=reason
    )
    return term
