"""Due items from member records: probation ending and recognition overdue, transfer deadlines, temporary
transfers ending, branches too small or grassroots branches too big, members' correction requests."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from dangvu.core.calendar import WorkingCalendar, add_months
from dangvu.core.dueitems import DueItem, Severity, due_item_provider
from dangvu.core.rulebook import Rulebook
from dangvu.core.scoping import Action
from dangvu.orgs.models import Organisation, OrganisationKind

from . import rules
from .models import CorrectionRequest, CorrectionState, Member, MemberStatus, Transfer, TransferState
from .selectors import current_counts


def _where(organisation: Organisation) -> str:
    return organisation.name + (f" ({organisation.parent.name})" if organisation.parent_id else "")


def _about(queryset, organisation, field: str):
    return queryset if organisation is None else queryset.filter(**{field: organisation})


@due_item_provider("members.probation")
def probation_items(user, today: dt.date, organisation=None):
    book = Rulebook.load()
    reminder = book.entry("probation.reminder_days", today)
    months = book.entry("probation.months", today)
    # Only members whose probation could end within the reminder horizon (or has ended) are looked at.
    cutoff = add_months(today + dt.timedelta(days=int(reminder.value)), -int(months.value))
    members = (
        Member.objects.restrict(user, Action.CHANGE)
        .filter(status=MemberStatus.PROBATIONARY)
        .filter(Q(ceremony_date__lte=cutoff) | Q(ceremony_date__isnull=True, admission_date__lte=cutoff))
        .select_related("organisation__parent")
    )
    calendar = WorkingCalendar.everything()
    for member in _about(members, organisation, "organisation"):
        end = rules.probation_end(member, book)
        due, entry = rules.recognition_due(member, book, calendar)
        url = reverse("members:detail", args=[member.pk])
        where = _where(member.organisation)
        if end > today:
            yield DueItem(
                kind="probation",
                title=f"{member.full_name}, {where}: hết thời gian dự bị ngày {end:%d/%m/%Y}",
                due_date=end,
                severity=Severity.SOON,
                citation=f"Dự bị {months.value} tháng — {months.citation}",
                url=url,
                organisation_id=member.organisation_id,
                organisation_name=member.organisation.name,
                detail=f"Chi bộ xét công nhận chính thức trong {entry.value} ngày làm việc, "
                f"hạn {due:%d/%m/%Y}.",
            )
        else:
            overdue = due < today
            yield DueItem(
                kind="recognition",
                title=(
                    f"Quá hạn xét công nhận đảng viên chính thức: {member.full_name}, {where}"
                    if overdue
                    else f"Xét công nhận đảng viên chính thức: {member.full_name}, {where}"
                ),
                due_date=due,
                severity=Severity.OVERDUE if overdue else Severity.SOON,
                citation=f"{entry.value} ngày làm việc sau khi hết dự bị — {entry.citation}",
                url=url,
                organisation_id=member.organisation_id,
                organisation_name=member.organisation.name,
                detail=f"Hết dự bị ngày {end:%d/%m/%Y}; nếu đủ tư cách, chính thức từ ngày đó.",
            )


@due_item_provider("members.transfers")
def transfer_items(user, today: dt.date, organisation=None):
    book = Rulebook.load()
    transfers = Transfer.objects.restrict(user, Action.CHANGE).select_related(
        "member", "from_organisation__parent", "to_organisation__parent"
    )
    if organisation is not None:
        transfers = transfers.filter(Q(from_organisation=organisation) | Q(to_organisation=organisation))
    reminder = book.entry("transfer.temporary_return_reminder_days", today)
    for transfer in transfers.open():
        member = transfer.member
        url = reverse("members:detail", args=[member.pk])
        if transfer.state == TransferState.PREPARING:
            entry = book.entry(
                "transfer.official_start_working_days", transfer.moved_on, earliest_if_before=True
            )
            due, home = transfer.start_due, transfer.from_organisation
            title = f"Cấp giấy giới thiệu chuyển sinh hoạt cho {member.full_name}, {_where(home)}"
            citation = f"{entry.value} ngày làm việc kể từ khi chuyển đi — {entry.citation}"
        elif transfer.state == TransferState.PENDING:
            entry = book.entry(
                "transfer.official_present_working_days", transfer.letter_on, earliest_if_before=True
            )
            due, home = transfer.present_due, transfer.to_organisation
            title = f"Tiếp nhận đảng viên {member.full_name} chuyển đến {_where(home)}"
            citation = f"Xuất trình giấy giới thiệu trong {entry.value} ngày làm việc — {entry.citation}"
        else:
            if transfer.end_on > today + dt.timedelta(days=int(reminder.value)):
                continue
            due, home = transfer.end_on, transfer.from_organisation
            title = (
                f"{member.full_name}, {_where(home)}: hết thời gian sinh hoạt tạm thời "
                f"tại {transfer.destination}"
            )
            citation = f"Nhắc trước {reminder.value} ngày — {reminder.citation}"
        yield DueItem(
            kind="transfer",
            title=("Quá hạn: " if due < today else "") + title,
            due_date=due,
            severity=Severity.OVERDUE if due < today else Severity.SOON,
            citation=citation,
            url=url,
            organisation_id=home.pk,
            organisation_name=home.name,
        )


@due_item_provider("members.branch_size")
def branch_size_items(user, today: dt.date, organisation=None):
    """Standing conditions: a branch below the minimum of official members; a grassroots branch that has
    grown to the size of a grassroots committee."""
    book = Rulebook.load()
    minimum = book.entry("branch.min_official_members", today)
    committee_size = book.entry("grassroots.committee_min_members", today)
    branches = Organisation.objects.restrict(user, Action.CHANGE).active(today)
    branches = branches.filter(kind__in=(OrganisationKind.BRANCH, OrganisationKind.GRASSROOTS_BRANCH))
    if organisation is not None:
        branches = branches.filter(pk=organisation.pk)
    branches = list(branches.select_related("parent"))
    counts = current_counts(branches)
    for branch in branches:
        figures = counts[branch.pk]
        url = reverse("orgs:detail", args=[branch.pk])
        if figures.total and figures.official < int(minimum.value):
            yield DueItem(
                kind="branch_size",
                title=f"{_where(branch)} chỉ có {figures.official} đảng viên chính thức",
                due_date=today,
                severity=Severity.SOON,
                citation=f"Chi bộ cần ít nhất {minimum.value} đảng viên chính thức — {minimum.citation}",
                url=url,
                organisation_id=branch.pk,
                organisation_name=branch.name,
                detail="Cấp trên xem xét giới thiệu đảng viên sinh hoạt ở tổ chức khác hoặc bổ sung.",
            )
        if branch.kind == OrganisationKind.GRASSROOTS_BRANCH and figures.total >= int(committee_size.value):
            yield DueItem(
                kind="branch_size",
                title=f"{_where(branch)} có {figures.total} đảng viên: đủ điều kiện lập đảng bộ cơ sở",
                due_date=today,
                severity=Severity.SOON,
                citation=f"Từ {committee_size.value} đảng viên lập đảng bộ cơ sở — {committee_size.citation}",
                url=url,
                organisation_id=branch.pk,
                organisation_name=branch.name,
                detail="Trường hợp giữ chi bộ cơ sở cần cấp trên đồng ý bằng văn bản.",
            )


@due_item_provider("members.corrections")
def correction_items(user, today: dt.date, organisation=None):
    requests = CorrectionRequest.objects.restrict(user, Action.CHANGE).filter(state=CorrectionState.OPEN)
    requests = _about(requests, organisation, "member__organisation").select_related("member__organisation")
    for request in requests:
        member = request.member
        yield DueItem(
            kind="correction",
            title=f"{member.full_name} đề nghị sửa hồ sơ",
            due_date=request.created_at.date(),
            severity=Severity.SOON,
            citation="Đề nghị của đảng viên (Hướng dẫn 12-HD/BTCTW về quản lý hồ sơ đảng viên)",
            url=reverse("members:detail", args=[member.pk]) + "#corrections",
            organisation_id=member.organisation_id,
            organisation_name=member.organisation.name,
            detail=request.text[:200],
        )
