"""Writes to the rulebook and the working-day calendar (administrators only), with history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .audit import record_change, snapshot
from .models import CalendarDay, CalendarDayKind, ChangeAction, Rule, RuleSource, RuleStatus
from .scoping import Action, NotAllowed, scope_for


def _require_administrator(user) -> None:
    if not scope_for(user).covers_all(Action.ADMINISTER):
        raise NotAllowed("Chỉ quản trị hệ thống được thay đổi sổ quy định và lịch làm việc.")


@transaction.atomic
def rule_add_version(
    *,
    by,
    key: str,
    value: Any,
    effective_from: dt.date,
    citation: str,
    status: str = RuleStatus.CONFIRMED,
    note: str = "",
    reason: str,
) -> Rule:
    """A new regulation changes a rule from ``effective_from`` on: the version in force until then is
    closed the day before; earlier events keep being judged by the earlier version."""
    _require_administrator(by)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Hãy ghi lý do (ví dụ: văn bản mới ban hành)."})
    if not (citation or "").strip():
        raise ValidationError({"citation": "Hãy ghi căn cứ (tên văn bản, điều, khoản)."})
    if status not in RuleStatus.values:
        raise ValidationError({"status": "Mức xác nhận không hợp lệ."})
    versions = list(Rule.objects.select_for_update().filter(key=key).order_by("effective_from"))
    if not versions:
        raise ValidationError({"key": f"Không có quy định “{key}” trong sổ quy định."})
    latest = versions[-1]
    if effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": f"Phiên bản mới phải có hiệu lực sau {latest.effective_from:%d/%m/%Y} "
                f"(ngày của phiên bản gần nhất)."
            }
        )
    if type(value) is not type(latest.value) and not (
        isinstance(value, int | float) and isinstance(latest.value, int | float)
    ):
        raise ValidationError(
            {"value": "Giá trị mới phải cùng dạng với giá trị cũ (số, danh sách, bảng...)."}
        )
    if latest.effective_to is None or latest.effective_to >= effective_from:
        Rule.objects.filter(pk=latest.pk).update(effective_to=effective_from - dt.timedelta(days=1))
    new = Rule.objects.create(
        key=key,
        title=latest.title,
        value=value,
        unit=latest.unit,
        effective_from=effective_from,
        citation=citation.strip(),
        status=status,
        note=(note or "").strip(),
        source=RuleSource.ADMIN,
        rules_md=latest.rules_md,
    )
    record_change(
        obj=new,
        action=ChangeAction.CREATE,
        by=by,
        changes={"value": [latest.value, value], "citation": [latest.citation, new.citation]},
        data=snapshot(new, ("key", "value", "effective_from", "citation", "status")),
        reason=reason.strip(),
        effective_on=effective_from,
    )
    return new


@transaction.atomic
def calendar_day_set(*, by, date: dt.date, kind: str, name: str, reason: str = "") -> CalendarDay:
    """Mark an extra day off or a make-up working day (a government decision the holiday list lacks)."""
    _require_administrator(by)
    if kind not in CalendarDayKind.values:
        raise ValidationError({"kind": "Loại ngày không hợp lệ."})
    if not (name or "").strip():
        raise ValidationError({"name": "Hãy ghi lý do (ví dụ: nghỉ bù theo Thông báo số …)."})
    day, created = CalendarDay.objects.update_or_create(
        date=date, defaults={"kind": kind, "name": name.strip()}
    )
    record_change(
        obj=day,
        action=ChangeAction.CREATE if created else ChangeAction.UPDATE,
        by=by,
        data=snapshot(day, ("date", "kind", "name")),
        reason=(reason or name).strip(),
    )
    return day
