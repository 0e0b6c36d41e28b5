"""Writes to member records: entry, edits, recognition, transfers, exemptions, exits, re-admission,
committee seats, correction requests.

Every service runs in one transaction, locks the member row, checks the rulebook (errors cite the rule),
keeps the member's timeline (``MemberPeriod``) in step, appends the change record, and re-checks that the
result is inside the acting user's scope.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.core.audit import diff, record_change, snapshot
from dangvu.core.context import current_request_id
from dangvu.core.models import ChangeAction
from dangvu.core.rulebook import rule_entry
from dangvu.core.scoping import Action, ensure_in_scope
from dangvu.orgs.models import Organisation

from . import rules
from .models import (
    CommitteeSeat,
    CorrectionRequest,
    CorrectionState,
    Exemption,
    Member,
    MemberPeriod,
    MemberRead,
    MemberStatus,
    PeriodStatus,
    Transfer,
    TransferKind,
    TransferState,
)

RECORD_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "other_names",
    "gender",
    "birth_date",
    "birthplace",
    "hometown",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "email",
    "address",
    "occupation",
    "position",
    "workplace",
    "general_education",
    "qualification",
    "political_theory",
    "foreign_language",
    "admission_date",
    "admission_decision_number",
    "ceremony_date",
    "official_date",
    "card_number",
    "introducers",
)
STATE_FIELDS = ("organisation", "status", "in_transfer", "exit_kind", "exit_date", "readmission_date", "user")


def _require(value, field: str, message: str):
    if value in (None, ""):
        raise ValidationError({field: message})
    return value


def _not_future(day: dt.date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: "Ngày này không được ở tương lai."})


def _lock(by, member: Member, action: str = Action.CHANGE) -> Member:
    """The member's current row, locked for this transaction, or a 404 when out of the user's scope."""
    Member.objects.get_in_scope(by, action, pk=member.pk)
    return Member.objects.select_for_update().get(pk=member.pk)


def check_home(organisation: Organisation, on: dt.date, field: str = "organisation") -> None:
    """Members are kept on the list of a branch (the rulebook says which kinds) that exists on ``on``."""
    kinds = rule_entry("member.home_kinds", on, earliest_if_before=True)
    if organisation.kind not in kinds.value:
        raise ValidationError(
            {
                field: f"“{organisation.name}” không phải chi bộ: đảng viên sinh hoạt ở chi bộ "
                f"— {kinds.citation}."
            }
        )
    if organisation.dissolved_on is not None and organisation.dissolved_on <= on:
        raise ValidationError(
            {field: f"“{organisation.name}” đã giải thể ngày {organisation.dissolved_on:%d/%m/%Y}."}
        )


def check_record(member: Member) -> None:
    """Rule checks on the record itself (no database): dates in order, age at admission, probation."""
    _not_future(member.admission_date, "admission_date")
    _not_future(member.official_date, "official_date")
    if member.birth_date and member.birth_date >= member.admission_date:
        raise ValidationError({"birth_date": "Ngày sinh phải trước ngày kết nạp."})
    rules.check_admission_age(member.birth_date, member.admission_date)
    if member.ceremony_date and member.ceremony_date < member.admission_date:
        raise ValidationError({"ceremony_date": "Lễ kết nạp không thể trước ngày quyết định kết nạp."})
    if member.status == MemberStatus.OFFICIAL:
        _require(member.official_date, "official_date", "Đảng viên chính thức cần có ngày chính thức.")
    if member.status == MemberStatus.PROBATIONARY and member.official_date:
        raise ValidationError({"official_date": "Đảng viên dự bị chưa có ngày chính thức."})
    rules.check_official_date(member)


# ───────────────────────── timeline ─────────────────────────


def _open_period(member: Member, on: dt.date, organisation_id: int, status: str) -> None:
    """Close the period in force and open a new one from ``on`` (replacing one opened the same day)."""
    current = member.periods.filter(valid_to__isnull=True).first()
    if current is not None:
        if on < current.valid_from:
            raise ValidationError(
                {
                    "effective_on": f"Ngày này phải từ {current.valid_from:%d/%m/%Y} trở đi "
                    "(ngày của thay đổi gần nhất)."
                }
            )
        if on == current.valid_from:
            MemberPeriod.objects.filter(pk=current.pk).update(organisation_id=organisation_id, status=status)
            return
        MemberPeriod.objects.filter(pk=current.pk).update(valid_to=on - dt.timedelta(days=1))
    MemberPeriod.objects.create(member=member, organisation_id=organisation_id, status=status, valid_from=on)


def move_member(member: Member, organisation_id: int, on: dt.date) -> None:
    """The member is counted at ``organisation_id`` from ``on`` (an accepted transfer, a merge), as what
    they are now. The caller holds the row lock and writes the history."""
    member.organisation_id = organisation_id
    member.save(update_fields=["organisation"])
    status = PeriodStatus.OFFICIAL if member.status == MemberStatus.OFFICIAL else PeriodStatus.PROBATIONARY
    _open_period(member, on, organisation_id, status)


def record_read(user, member: Member | None, via: str, detail: str = "") -> None:
    """Append to the read audit: an officer opened a member record (page, API, résumé) or exported a list."""
    MemberRead.objects.create(
        user=user, member=member, via=via, request_id=current_request_id() or "", detail=detail[:500]
    )


def _close_periods(member: Member, on: dt.date) -> None:
    """The member stops being counted anywhere from ``on`` (left the system)."""
    current = member.periods.filter(valid_to__isnull=True).first()
    if current is None:
        return
    if on <= current.valid_from:
        raise ValidationError({"effective_on": f"Ngày này phải sau {current.valid_from:%d/%m/%Y}."})
    MemberPeriod.objects.filter(pk=current.pk).update(valid_to=on - dt.timedelta(days=1))


def _make_official_from(member: Member, official_date: dt.date) -> None:
    """Recognition counts from the 12-month date even when decided later: rewrite the probationary periods
    that lie after it (splitting the one that spans it)."""
    periods = member.periods.filter(status=PeriodStatus.PROBATIONARY).order_by("valid_from")
    for period in periods:
        if period.valid_to is not None and period.valid_to < official_date:
            continue
        if period.valid_from >= official_date:
            MemberPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.OFFICIAL)
            continue
        MemberPeriod.objects.filter(pk=period.pk).update(valid_to=official_date - dt.timedelta(days=1))
        MemberPeriod.objects.create(
            member=member,
            organisation_id=period.organisation_id,
            status=PeriodStatus.OFFICIAL,
            valid_from=official_date,
            valid_to=period.valid_to,
        )


def initial_periods(member: Member, since: dt.date) -> list[MemberPeriod]:
    """The timeline of a member entered as they are now, kept in ``member.organisation`` from ``since``."""
    if member.status == MemberStatus.OFFICIAL and member.official_date and member.official_date > since:
        return [
            MemberPeriod(
                member=member,
                organisation_id=member.organisation_id,
                status=PeriodStatus.PROBATIONARY,
                valid_from=since,
                valid_to=member.official_date - dt.timedelta(days=1),
            ),
            MemberPeriod(
                member=member,
                organisation_id=member.organisation_id,
                status=PeriodStatus.OFFICIAL,
                valid_from=member.official_date,
            ),
        ]
    return [
        MemberPeriod(
            member=member, organisation_id=member.organisation_id, status=member.status, valid_from=since
        )
    ]


# ───────────────────────── the record ─────────────────────────


@transaction.atomic
def member_enter(
    *, by, member: Member, since: dt.date | None = None, reason: str = "", came_from: str = ""
) -> Member:
    """Enter an existing member (probationary or official) on the list of ``member.organisation``.

    ``since`` is the day they started attending that branch (the admission date when not known)."""
    Organisation.objects.get_in_scope(by, Action.CHANGE, pk=member.organisation_id)
    if member.status not in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL):
        raise ValidationError({"status": "Chỉ nhập đảng viên dự bị hoặc chính thức."})
    since = since or member.admission_date
    _not_future(since, "since")
    if since < member.admission_date:
        raise ValidationError({"since": "Ngày sinh hoạt tại chi bộ không thể trước ngày kết nạp."})
    check_home(member.organisation, since)
    member.full_clean()
    check_record(member)
    member.save()
    MemberPeriod.objects.bulk_create(initial_periods(member, since))
    record_change(
        obj=member,
        action=ChangeAction.CREATE,
        by=by,
        organisation=member.organisation,
        changes={
            name: [None, value] for name, value in snapshot(member, RECORD_FIELDS + STATE_FIELDS).items()
        },
        data={"since": since, "came_from": came_from},
        reason=reason or "Nhập hồ sơ đảng viên",
        effective_on=since,
    )
    ensure_in_scope(by, member)
    return member


@transaction.atomic
def member_update(*, by, member: Member, changes: dict, reason: str) -> Member:
    """Correct or complete the record (names, identity, education, admission data). Status and organisation
    change only through the lifecycle services."""
    member = _lock(by, member)
    reason = _require((reason or "").strip(), "reason", "Hãy ghi lý do sửa hồ sơ (sẽ được lưu vào lịch sử).")
    unknown = set(changes) - set(RECORD_FIELDS) - {"photo"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Trường này không sửa được ở đây."))
    before = snapshot(member, RECORD_FIELDS)
    for name, value in changes.items():
        setattr(member, name, value)
    member.full_clean()
    check_record(member)
    member.save()
    changed = diff(before, snapshot(member, RECORD_FIELDS))
    if "photo" in changes:
        changed["photo"] = ["", member.photo.name]
    if changed:
        record_change(
            obj=member,
            action=ChangeAction.UPDATE,
            by=by,
            organisation=member.organisation,
            changes=changed,
            reason=reason,
        )
    return member


@transaction.atomic
def member_link_user(*, by, member: Member, user, reason: str = "") -> Member:
    """Tie a sign-in account to the record, so its owner can see it (self-service)."""
    member = _lock(by, member)
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise ValidationError({"user": "Tài khoản này đã gắn với hồ sơ đảng viên khác."})
    before = member.user_id
    member.user = user
    member.save(update_fields=["user"])
    record_change(
        obj=member,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=member.organisation,
        changes={"user": [before, user.pk]},
        reason=reason or "Gắn tài khoản cho đảng viên",
    )
    return member


@transaction.atomic
def member_recognise(
    *, by, member: Member, decided_on: dt.date, decision_number: str, reason: str = ""
) -> Member:
    """Recognise a probationary member as official. They are official from the 12-month date even when
    the decision comes later (Điều lệ Đảng, Điều 5)."""
    member = _lock(by, member)
    if member.status != MemberStatus.PROBATIONARY:
        raise ValidationError({"status": "Chỉ công nhận chính thức cho đảng viên dự bị."})
    _not_future(decided_on, "decided_on")
    official_on = rules.probation_end(member)
    official_from = rule_entry("recognition.official_from", official_on, earliest_if_before=True)
    if decided_on < official_on:
        raise ValidationError(
            {
                "decided_on": f"Chưa hết thời gian dự bị: xét công nhận từ {official_on:%d/%m/%Y} — "
                f"{official_from.citation}."
            }
        )
    member.status = MemberStatus.OFFICIAL
    member.official_date = official_on
    member.save(update_fields=["status", "official_date"])
    _make_official_from(member, official_on)
    due, _entry = rules.recognition_due(member)
    record_change(
        obj=member,
        action=ChangeAction.RECOGNISE,
        by=by,
        organisation=member.organisation,
        changes={
            "status": [MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL],
            "official_date": [None, official_on],
        },
        data={"late": decided_on > due, "due": due},
        reason=reason or "Công nhận đảng viên chính thức",
        decision_number=decision_number,
        decision_date=decided_on,
        effective_on=official_on,
    )
    return member


# ───────────────────────── transfers ─────────────────────────


def _destination(by, to_organisation, to_name: str, member: Member, on: dt.date) -> None:
    if to_organisation is None and not (to_name or "").strip():
        raise ValidationError({"to_organisation": "Chọn chi bộ nơi đến, hoặc ghi nơi đến ngoài hệ thống."})
    if to_organisation is not None:
        if to_organisation.pk == member.organisation_id:
            raise ValidationError({"to_organisation": "Nơi đến trùng với chi bộ hiện tại."})
        check_home(to_organisation, on, field="to_organisation")


def _require_in_party(member: Member) -> None:
    if not member.in_party:
        raise ValidationError({"status": f"Đảng viên đang ở tình trạng “{member.get_status_display()}”."})
    if member.transfers.open().exists():
        raise ValidationError({"status": "Đảng viên đang có một lần chuyển sinh hoạt chưa kết thúc."})


def _require_late_reason(day: dt.date, due: dt.date, entry, late_reason: str, what: str) -> None:
    """Past a working-day deadline the step is still recorded, but only with the reason for the delay."""
    if day > due and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": f"{what} quá hạn {entry.value} ngày làm việc (hạn {due:%d/%m/%Y}) "
                f"— {entry.citation}. Hãy ghi lý do chậm."
            }
        )


@transaction.atomic
def transfer_official_start(
    *,
    by,
    member: Member,
    moved_on: dt.date,
    to_organisation: Organisation | None = None,
    to_name: str = "",
    letter_on: dt.date | None = None,
    decision_number: str = "",
    late_reason: str = "",
) -> Transfer:
    """Start an official transfer: the member moved on ``moved_on``; the letter of introduction is issued
    (now or later, within the rulebook's working days). Until the receiving branch accepts, the member stays
    counted at home, marked "in transfer" — never counted twice."""
    member = _lock(by, member)
    _require_in_party(member)
    _not_future(moved_on, "moved_on")
    _destination(by, to_organisation, to_name, member, moved_on)
    transfer = Transfer(
        member=member,
        kind=TransferKind.OFFICIAL,
        state=TransferState.PREPARING,
        from_organisation_id=member.organisation_id,
        to_organisation=to_organisation,
        to_name="" if to_organisation else to_name.strip(),
        moved_on=moved_on,
        start_due=rules.official_transfer_start_due(moved_on)[0],
    )
    transfer.save()
    member.in_transfer = True
    member.save(update_fields=["in_transfer"])
    record_change(
        obj=member,
        action=ChangeAction.TRANSFER,
        by=by,
        organisation=member.organisation,
        changes={"in_transfer": [False, True]},
        data={
            "transfer": transfer.pk,
            "destination": transfer.destination,
            "moved_on": moved_on,
            "start_due": transfer.start_due,
        },
        reason=f"Chuyển sinh hoạt đảng chính thức đến {transfer.destination}",
        effective_on=moved_on,
    )
    if letter_on is not None:
        transfer_issue_letter(
            by=by,
            transfer=transfer,
            letter_on=letter_on,
            decision_number=decision_number,
            late_reason=late_reason,
        )
    return transfer


@transaction.atomic
def transfer_issue_letter(
    *, by, transfer: Transfer, letter_on: dt.date, decision_number: str = "", late_reason: str = ""
) -> Transfer:
    """Issue the letter of introduction. Past the deadline the reason must be given (it is reported)."""
    member = _lock(by, transfer.member)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.kind != TransferKind.OFFICIAL or transfer.state != TransferState.PREPARING:
        raise ValidationError({"letter_on": "Giấy giới thiệu đã được cấp hoặc lần chuyển đã kết thúc."})
    _not_future(letter_on, "letter_on")
    if letter_on < transfer.moved_on:
        raise ValidationError({"letter_on": "Ngày cấp giấy không thể trước ngày chuyển đi."})
    _require_late_reason(
        letter_on, *rules.official_transfer_start_due(transfer.moved_on), late_reason, "Cấp giấy giới thiệu"
    )
    transfer.letter_on = letter_on
    transfer.present_due = rules.official_transfer_present_due(letter_on)[0]
    transfer.decision_number = decision_number
    transfer.late_reason = late_reason.strip()
    if transfer.to_organisation_id is None:
        # Leaving for an organisation outside this system: the member is no longer counted here.
        transfer.state = TransferState.LEFT_SYSTEM
        member.status, previous = MemberStatus.TRANSFERRED_OUT, member.status
        member.in_transfer = False
        member.save(update_fields=["status", "in_transfer"])
        _close_periods(member, letter_on + dt.timedelta(days=1))
        changes = {"status": [previous, member.status], "in_transfer": [True, False]}
    else:
        transfer.state = TransferState.PENDING
        changes = {}
    transfer.save()
    record_change(
        obj=member,
        action=ChangeAction.TRANSFER,
        by=by,
        organisation=member.organisation,
        changes=changes,
        data={
            "transfer": transfer.pk,
            "letter_on": letter_on,
            "present_due": transfer.present_due,
            "late_reason": transfer.late_reason,
        },
        reason=f"Cấp giấy giới thiệu chuyển sinh hoạt đến {transfer.destination}",
        decision_number=decision_number,
        decision_date=letter_on,
        effective_on=letter_on,
    )
    return transfer


@transaction.atomic
def transfer_accept(*, by, transfer: Transfer, presented_on: dt.date, late_reason: str = "") -> Transfer:
    """The receiving branch accepts the member: from ``presented_on`` they are counted there."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_organisation_id is None:
        raise ValidationError({"presented_on": "Nơi đến ở ngoài hệ thống."})
    Organisation.objects.get_in_scope(by, Action.CHANGE, pk=transfer.to_organisation_id)
    if transfer.state != TransferState.PENDING:
        raise ValidationError({"presented_on": "Lần chuyển này không chờ tiếp nhận."})
    _not_future(presented_on, "presented_on")
    if presented_on < transfer.letter_on:
        raise ValidationError({"presented_on": "Ngày tiếp nhận không thể trước ngày cấp giấy giới thiệu."})
    _require_late_reason(
        presented_on,
        *rules.official_transfer_present_due(transfer.letter_on),
        late_reason,
        "Xuất trình giấy giới thiệu",
    )
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    check_home(transfer.to_organisation, presented_on, field="presented_on")
    previous = member.organisation_id
    member.in_transfer = False
    member.save(update_fields=["in_transfer"])
    move_member(member, transfer.to_organisation_id, presented_on)
    transfer.state = TransferState.ACCEPTED
    transfer.presented_on = presented_on
    if late_reason.strip():
        transfer.late_reason = late_reason.strip()
    transfer.save()
    record_change(
        obj=member,
        action=ChangeAction.TRANSFER,
        by=by,
        organisation=transfer.to_organisation,
        changes={"organisation": [previous, member.organisation_id], "in_transfer": [True, False]},
        data={"transfer": transfer.pk, "late_reason": transfer.late_reason},
        reason="Tiếp nhận đảng viên chuyển sinh hoạt đến",
        effective_on=presented_on,
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, by, transfer: Transfer, reason: str) -> Transfer:
    reason = _require((reason or "").strip(), "reason", "Hãy ghi lý do hủy.")
    member = _lock(by, transfer.member)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.state not in (TransferState.PREPARING, TransferState.PENDING):
        raise ValidationError({"reason": "Chỉ hủy được lần chuyển chưa được tiếp nhận."})
    transfer.state = TransferState.CANCELLED
    transfer.save(update_fields=["state"])
    member.in_transfer = False
    member.save(update_fields=["in_transfer"])
    record_change(
        obj=member,
        action=ChangeAction.TRANSFER,
        by=by,
        organisation=member.organisation,
        changes={"in_transfer": [True, False]},
        data={"transfer": transfer.pk},
        reason=f"Hủy chuyển sinh hoạt: {reason}",
    )
    return transfer


@transaction.atomic
def transfer_temporary_start(
    *,
    by,
    member: Member,
    start_on: dt.date,
    end_on: dt.date,
    to_organisation: Organisation | None = None,
    to_name: str = "",
    for_study: bool = False,
    decision_number: str = "",
) -> Transfer:
    """Temporary transfer: the member attends the host branch but stays counted at home."""
    member = _lock(by, member)
    _require_in_party(member)
    _destination(by, to_organisation, to_name, member, start_on)
    rules.check_temporary_period(start_on, end_on, for_study)
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.TEMPORARY,
        state=TransferState.AWAY,
        from_organisation_id=member.organisation_id,
        to_organisation=to_organisation,
        to_name="" if to_organisation else to_name.strip(),
        start_on=start_on,
        end_on=end_on,
        for_study=for_study,
        decision_number=decision_number,
    )
    record_change(
        obj=member,
        action=ChangeAction.TRANSFER,
        by=by,
        organisation=member.organisation,
        data={
            "transfer": transfer.pk,
            "destination": transfer.destination,
            "start_on": start_on,
            "end_on": end_on,
            "for_study": for_study,
        },
        reason=f"Chuyển sinh hoạt đảng tạm thời đến {transfer.destination}",
        decision_number=decision_number,
        effective_on=start_on,
    )
    return transfer


@transaction.atomic
def transfer_return(*, by, transfer: Transfer, returned_on: dt.date) -> Transfer:
    member = _lock(by, transfer.member)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.state != TransferState.AWAY:
        raise ValidationError({"returned_on": "Đảng viên không ở trong thời gian sinh hoạt tạm thời."})
    _not_future(returned_on, "returned_on")
    if returned_on < transfer.start_on:
        raise ValidationError({"returned_on": "Ngày trở về không thể trước ngày đi."})
    transfer.state = TransferState.RETURNED
    transfer.returned_on = returned_on
    transfer.save(update_fields=["state", "returned_on"])
    record_change(
        obj=member,
        action=ChangeAction.TRANSFER,
        by=by,
        organisation=member.organisation,
        data={"transfer": transfer.pk, "returned_on": returned_on},
        reason="Trở về sinh hoạt tại chi bộ chính thức",
        effective_on=returned_on,
    )
    return transfer


# ───────────────────────── exemption, exit, re-admission ─────────────────────────


@transaction.atomic
def exemption_grant(
    *,
    by,
    member: Member,
    ground: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    decision_number: str = "",
    note: str = "",
) -> Exemption:
    member = _lock(by, member)
    if not member.in_party:
        raise ValidationError({"ground": f"Đảng viên đang ở tình trạng “{member.get_status_display()}”."})
    grounds = rule_entry("member.temporary_exemption_grounds", start_on, earliest_if_before=True)
    if ground not in grounds.value:
        raise ValidationError({"ground": f"Lý do không thuộc các trường hợp được miễn — {grounds.citation}."})
    if end_on and end_on < start_on:
        raise ValidationError({"end_on": "Ngày kết thúc phải sau ngày bắt đầu."})
    overlapping = member.exemptions.filter(start_on__lte=end_on or dt.date.max).exclude(end_on__lt=start_on)
    if overlapping.exists():
        raise ValidationError({"start_on": "Trùng với một thời gian miễn sinh hoạt đã có."})
    exemption = Exemption.objects.create(
        member=member,
        ground=ground,
        start_on=start_on,
        end_on=end_on,
        decision_number=decision_number,
        note=note,
    )
    record_change(
        obj=member,
        action=ChangeAction.EXEMPT,
        by=by,
        organisation=member.organisation,
        data={"exemption": exemption.pk, "ground": ground, "start_on": start_on, "end_on": end_on},
        reason=f"Miễn công tác và sinh hoạt đảng ({grounds.citation})",
        decision_number=decision_number,
        effective_on=start_on,
    )
    return exemption


@transaction.atomic
def member_exit(
    *,
    by,
    member: Member,
    kind: str,
    on: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    reason: str = "",
) -> Member:
    """Death, removal from the list, expulsion or leaving.

    The record stays; the member stops being counted."""
    member = _lock(by, member)
    if not member.in_party:
        raise ValidationError({"kind": f"Đảng viên đang ở tình trạng “{member.get_status_display()}”."})
    _not_future(on, "on")
    if kind != "death":
        _require(
            decision_number, "decision_number", "Cần số quyết định (hoặc nghị quyết) của cấp có thẩm quyền."
        )
    before = snapshot(member, STATE_FIELDS)
    open_transfers = list(member.transfers.open())
    for transfer in open_transfers:
        transfer.state = (
            TransferState.CANCELLED if transfer.kind == TransferKind.OFFICIAL else TransferState.RETURNED
        )
        transfer.returned_on = on if transfer.kind == TransferKind.TEMPORARY else None
        transfer.save(update_fields=["state", "returned_on"])
    member.status = MemberStatus.EXITED
    member.exit_kind = kind
    member.exit_date = on
    member.in_transfer = False
    member.save(update_fields=["status", "exit_kind", "exit_date", "in_transfer"])
    _open_period(member, on, member.organisation_id, PeriodStatus.OUTSIDE)
    record_change(
        obj=member,
        action=ChangeAction.EXIT,
        by=by,
        organisation=member.organisation,
        changes=diff(before, snapshot(member, STATE_FIELDS)),
        data={"closed_transfers": [t.pk for t in open_transfers]},
        reason=reason or member.get_exit_kind_display(),
        decision_number=decision_number,
        decision_date=decision_date,
        effective_on=on,
    )
    return member


@transaction.atomic
def member_readmit(
    *,
    by,
    member: Member,
    organisation: Organisation,
    decided_on: dt.date,
    decision_number: str,
    ceremony_date: dt.date | None = None,
    reason: str = "",
) -> Member:
    """Re-admission (once, after the waiting time): probation again; party age counts from the first
    admission minus the gap."""
    member = _lock(by, member)
    Organisation.objects.get_in_scope(by, Action.CHANGE, pk=organisation.pk)
    if member.status != MemberStatus.EXITED or member.exit_kind == "death":
        raise ValidationError({"admission_date": "Chỉ xét kết nạp lại người đã ra khỏi Đảng."})
    _not_future(decided_on, "admission_date")
    times = member.periods.filter(status=PeriodStatus.OUTSIDE).exclude(valid_to__isnull=True).count()
    rules.check_readmission(member, decided_on, times)
    check_home(organisation, decided_on)
    before = snapshot(member, (*STATE_FIELDS, "ceremony_date", "official_date"))
    member.status = MemberStatus.PROBATIONARY
    member.organisation = organisation
    member.readmission_date = decided_on
    member.ceremony_date = ceremony_date or decided_on
    member.official_date = None
    member.exit_kind, member.exit_date = "", None
    member.save()
    _open_period(member, decided_on, organisation.pk, PeriodStatus.PROBATIONARY)
    record_change(
        obj=member,
        action=ChangeAction.READMIT,
        by=by,
        organisation=organisation,
        changes=diff(before, snapshot(member, (*STATE_FIELDS, "ceremony_date", "official_date"))),
        reason=reason or "Kết nạp lại",
        decision_number=decision_number,
        decision_date=decided_on,
        effective_on=decided_on,
    )
    return member


# ───────────────────────── committees ─────────────────────────


@transaction.atomic
def seat_add(
    *,
    by,
    term,
    member: Member,
    position: str,
    start_on: dt.date | None = None,
    full_time: bool = False,
    reason: str = "",
) -> CommitteeSeat:
    """Put a member on the committee of ``term.organisation`` (elected at the congress or added later)."""
    organisation = Organisation.objects.get_in_scope(by, Action.CHANGE, pk=term.organisation_id)
    start_on = start_on or term.congress_on or term.start_on
    if not (term.start_on <= start_on <= term.end_on):
        raise ValidationError({"start_on": f"Ngày phải nằm trong nhiệm kỳ {term.label}."})
    if not member.in_party or not member.organisation.path.startswith(organisation.path):
        raise ValidationError({"member": "Cấp ủy viên phải là đảng viên đang sinh hoạt trong tổ chức này."})
    if CommitteeSeat.objects.filter(
        term=term, member=member, position=position, end_on__isnull=True
    ).exists():
        raise ValidationError({"member": "Đảng viên này đã giữ chức vụ này trong nhiệm kỳ."})
    seat = CommitteeSeat.objects.create(
        term=term, member=member, position=position, full_time=full_time, start_on=start_on
    )
    record_change(
        obj=seat,
        action=ChangeAction.CREATE,
        by=by,
        organisation=organisation,
        changes={"member": [None, member.pk], "position": [None, position], "full_time": [None, full_time]},
        reason=reason or "Bầu, bổ sung cấp ủy viên",
        effective_on=start_on,
    )
    return seat


@transaction.atomic
def seat_end(*, by, seat: CommitteeSeat, end_on: dt.date, reason: str) -> CommitteeSeat:
    Organisation.objects.get_in_scope(by, Action.CHANGE, pk=seat.term.organisation_id)
    reason = _require((reason or "").strip(), "reason", "Hãy ghi lý do thôi giữ chức vụ.")
    if seat.end_on is not None:
        raise ValidationError({"end_on": "Chức vụ này đã kết thúc."})
    if end_on < seat.start_on:
        raise ValidationError({"end_on": "Ngày thôi phải sau ngày bắt đầu."})
    _not_future(end_on, "end_on")
    seat.end_on, seat.end_reason = end_on, reason
    seat.save(update_fields=["end_on", "end_reason"])
    record_change(
        obj=seat,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=seat.term.organisation,
        changes={"end_on": [None, end_on]},
        reason=reason,
        effective_on=end_on,
    )
    return seat


# ───────────────────────── self-service ─────────────────────────


@transaction.atomic
def correction_request(*, by, member: Member, text: str) -> CorrectionRequest:
    """A member asks for a correction of their own record; it lands in the office's inbox."""
    if member.user_id != by.pk:
        raise ValidationError({"text": "Chỉ đảng viên có hồ sơ này mới gửi được đề nghị."})
    text = _require((text or "").strip(), "text", "Hãy ghi nội dung cần sửa.")
    request = CorrectionRequest.objects.create(member=member, requested_by=by, text=text)
    record_change(
        obj=request,
        action=ChangeAction.CREATE,
        by=by,
        organisation=member.organisation,
        changes={"text": [None, text]},
        reason="Đảng viên đề nghị sửa hồ sơ",
    )
    return request


@transaction.atomic
def correction_close(*, by, request: CorrectionRequest, answer: str) -> CorrectionRequest:
    request = CorrectionRequest.objects.select_for_update().get(
        pk=CorrectionRequest.objects.get_in_scope(by, Action.CHANGE, pk=request.pk).pk
    )
    answer = _require((answer or "").strip(), "answer", "Hãy ghi kết quả xử lý.")
    if request.state != CorrectionState.OPEN:
        raise ValidationError({"answer": "Đề nghị này đã được xử lý."})
    request.state, request.answer = CorrectionState.DONE, answer
    request.handled_by, request.handled_at = by, timezone.now()
    request.save()
    record_change(
        obj=request,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=request.member.organisation,
        changes={"state": [CorrectionState.OPEN, CorrectionState.DONE]},
        reason=answer,
    )
    return request
