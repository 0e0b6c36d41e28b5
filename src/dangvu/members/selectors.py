"""Scoped reads of member records: lists with filters and search, keyset pages, counts, party age."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from dangvu.core.rulebook import rule_entry
from dangvu.core.scoping import Action, scope_for
from dangvu.core.text import normalise
from dangvu.orgs.models import Organisation

from . import rules
from .models import (
    IN_PARTY,
    CommitteeSeat,
    Member,
    MemberPeriod,
    MemberStatus,
    PeriodStatus,
    Transfer,
    TransferKind,
    TransferState,
)

# Filter values of ``status`` beyond the stored ones.
STATUS_FILTERS = {
    "in_party": "Đang sinh hoạt (dự bị và chính thức)",
    "probationary": "Đảng viên dự bị",
    "official": "Đảng viên chính thức",
    "transferring": "Đang chuyển sinh hoạt chính thức",
    "transferred_out": "Đã chuyển ra ngoài hệ thống",
    "exited": "Đã ra khỏi Đảng",
    "all": "Tất cả hồ sơ",
}
_DIGITS = re.compile(r"^\d{3,12}$")


def search_q(text: str) -> Q:
    """Diacritics-insensitive name search (prefix or any substring of the stored normalised name), or a card
    number / citizen ID prefix when the text is digits."""
    text = (text or "").strip()
    if not text:
        return Q()
    if _DIGITS.match(text):
        return Q(card_number__startswith=text) | Q(citizen_id__startswith=text)
    # A substring match covers the prefix one; PostgreSQL answers it from the pg_trgm index.
    return Q(name_search__contains=normalise(text))


UNKNOWN_BRANCH_CODE = "Không có chi bộ đang hoạt động mang mã “{code}”."


def branch_by_code(code: str) -> Organisation | None:
    """The active branch with exactly this code, anywhere in the tree: how a transfer names a destination
    outside the officer's scope (nothing outside the scope is ever listed, only this one code answered)."""
    kinds = rule_entry("member.home_kinds").value
    return Organisation.objects.filter(code=code.strip(), kind__in=kinds, dissolved_on__isnull=True).first()


def member_list(
    user,
    *,
    within: Organisation | None = None,
    status: str = "in_party",
    q: str = "",
    as_of: dt.date | None = None,
    action: str = Action.VIEW,
) -> QuerySet[Member]:
    """Members the user may see, filtered; sorted the Vietnamese way (given, middle, family name)."""
    # On SQLite the gate's organisation list is what keeps a small subtree fast (without it SQLite walks the
    # whole name index: 18 ms -> 1 s for a branch in 500,000 members), so only PostgreSQL skips it.
    if (
        connection.vendor == "postgresql"
        and within is not None
        and as_of is None
        and scope_for(user).allows_path(within.path, action)
    ):
        # Today, inside the user's own subtree, the ``within`` filter (the member's current organisation)
        # keeps every row in scope; the gate's other branches (visitors, the user's own record) lie outside
        # ``within`` anyway. Its list of every organisation of a province would only cost the planner
        # (docs/performance.md). "As of" lists filter by past periods: they keep the gate.
        members = Member.objects.all()
    else:
        members = Member.objects.restrict(user, action)
    members = members.select_related("organisation__parent")
    if as_of is not None:
        periods = MemberPeriod.objects.on(as_of)
        if within is not None:
            periods = periods.filter(organisation__path__startswith=within.path)
        if status in ("probationary", "official"):
            periods = periods.filter(status=status)
        elif status != "all":
            periods = periods.exclude(status=PeriodStatus.OUTSIDE)
        members = members.filter(pk__in=periods.values("member_id"))
    else:
        if within is not None:
            members = members.within(within)
        if status == "in_party":
            members = members.filter(status__in=IN_PARTY)
        elif status == "transferring":
            members = members.filter(in_transfer=True)
        elif status in MemberStatus.values:
            members = members.filter(status=status)
    if q:
        members = members.filter(search_q(q))
    return members.order_by("name_sort", "id")


def encode_cursor(member: Member) -> str:
    raw = f"{member.name_sort}\x00{member.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        name_sort, pk = raw.rsplit("\x00", 1)
        return name_sort, int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def keyset_page(
    members: QuerySet[Member], after: str | None, size: int = 50
) -> tuple[list[Member], str | None]:
    """One page after ``after`` in (name_sort, id) order: constant time however deep the page (no OFFSET)."""
    position = decode_cursor(after) if after else None
    if position is not None:
        name_sort, pk = position
        # The redundant ``>=`` gives the index a lower bound (an OR alone makes it walk from the first name).
        members = members.filter(name_sort__gte=name_sort).filter(
            Q(name_sort__gt=name_sort) | Q(name_sort=name_sort, pk__gt=pk)
        )
    rows = list(members[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], next_cursor


def with_gaps(members: QuerySet[Member]) -> QuerySet[Member]:
    """Prefetch the periods outside the Party, for party age in lists (one extra query)."""
    return members.prefetch_related(
        Prefetch(
            "periods",
            queryset=MemberPeriod.objects.filter(status=PeriodStatus.OUTSIDE),
            to_attr="gap_periods",
        )
    )


def gaps_for(member: Member) -> list[tuple[dt.date, dt.date | None]]:
    periods = getattr(member, "gap_periods", None)
    if periods is None:
        periods = member.periods.filter(status=PeriodStatus.OUTSIDE)
    return [(p.valid_from, p.valid_to + dt.timedelta(days=1) if p.valid_to else None) for p in periods]


def party_age(member: Member, on: dt.date | None = None, book=None):
    return rules.party_age(member, on or timezone.localdate(), gaps_for(member), book)


def status_on(member: Member, on: dt.date) -> str | None:
    period = member.periods.on(on).first()
    return period.status if period else None


def can_see_private(user, member: Member) -> bool:
    """Citizen ID, phone and address: the office and secretaries of the member's subtree, and the member."""
    if member.user_id is not None and member.user_id == getattr(user, "pk", None):
        return True
    return scope_for(user).allows_path(member.organisation.path, Action.CHANGE)


# ───────────────────────── counts ─────────────────────────


@dataclass
class Counts:
    official: int = 0
    probationary: int = 0
    temporary_in: int = 0
    transferring_out: int = 0

    @property
    def total(self) -> int:
        return self.official + self.probationary


def _common_prefix(paths: list[str]) -> str:
    """The deepest tree path above every one of ``paths`` ("" when they share no root)."""
    prefix = os.path.commonprefix(paths)  # noqa: RUF071  (materialised paths: character prefixes)
    return prefix[: len(prefix) - len(prefix) % Organisation.steplen]


def member_counts(organisations, on: dt.date | None = None) -> dict[int, Counts]:
    """Official, probationary and temporary-in members of each organisation's subtree, on ``on`` (today).

    Members on temporary transfer count at home only; a member in official transfer counts at home until the
    receiving branch accepts them (shown apart as "transferring out"): nobody is counted twice.
    One grouped query per figure under the organisations' common ancestor, then each group is added to the
    organisations above it (walking its path's prefixes), so 300 branches cost the same as one."""
    organisations = list(organisations)
    result = {o.pk: Counts() for o in organisations}
    if not organisations:
        return result
    today = timezone.localdate()
    on = on or today
    by_path = {o.path: o.pk for o in organisations}
    prefix = _common_prefix(list(by_path))
    step = Organisation.steplen

    def owners(path: str):
        for end in range(step, len(path) + 1, step):
            pk = by_path.get(path[:end])
            if pk is not None:
                yield pk, path[:end]

    periods = (
        MemberPeriod.objects.on(on)
        .filter(organisation__path__startswith=prefix)
        .exclude(status=PeriodStatus.OUTSIDE)
        .values_list("organisation__path", "status")
        .annotate(n=Count("id"))
    )
    for path, status, n in periods:
        for pk, _ in owners(path):
            setattr(result[pk], status, getattr(result[pk], status) + n)
    visiting = (
        Transfer.objects.filter(to_organisation__path__startswith=prefix, kind=TransferKind.TEMPORARY)
        .filter(start_on__lte=on, state__in=(TransferState.AWAY, TransferState.RETURNED))
        .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=on))
        .values_list("to_organisation__path", "from_organisation__path")
        .annotate(n=Count("id"))
    )
    for to_path, from_path, n in visiting:
        # A visitor counts apart only where their home branch lies outside the subtree (else counted already).
        for pk, owner_path in owners(to_path):
            if not from_path.startswith(owner_path):
                result[pk].temporary_in += n
    if on == today:
        leaving = (
            Member.objects.filter(organisation__path__startswith=prefix, in_transfer=True)
            .values_list("organisation__path")
            .annotate(n=Count("id"))
        )
        for path, n in leaving:
            for pk, _ in owners(path):
                result[pk].transferring_out += n
    return result


# A faster source of today's counts: the statistics app registers a reader of its totals table here. The
# function above stays the direct count from the timelines (and the reference the totals are tested against).
today_counts_sources: list = []


def current_counts(organisations) -> dict[int, Counts]:
    """Today's counts of each organisation's subtree (from the totals table when the statistics app is
    installed)."""
    organisations = list(organisations)
    if today_counts_sources:
        return today_counts_sources[0](organisations)
    return member_counts(organisations)


def committee_counts(organisations, on: dt.date | None = None) -> dict[int, int]:
    """Committee members (not the inspection commission) in office on ``on``, per organisation."""
    from .models import COMMITTEE_POSITIONS

    seats = (
        CommitteeSeat.objects.current(on)
        .filter(term__organisation__in=[o.pk for o in organisations], position__in=COMMITTEE_POSITIONS)
        .values_list("term__organisation_id")
        .annotate(n=Count("member_id", distinct=True))
    )
    counts = dict.fromkeys((o.pk for o in organisations), 0)
    counts.update(dict(seats))
    return counts


def committee_of(term) -> QuerySet[CommitteeSeat]:
    """Seats of one term: those in office first, by rank (secretary, deputy, standing, member, inspection)."""
    from django.db.models import Case, F, IntegerField, Value, When

    from .models import CommitteePosition

    rank = Case(
        *(When(position=position, then=Value(i)) for i, position in enumerate(CommitteePosition.values)),
        output_field=IntegerField(),
    )
    return term.seats.select_related("member").order_by(
        F("end_on").desc(nulls_first=True), rank, "member__name_sort"
    )
