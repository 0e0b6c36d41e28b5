"""What is counted, from the live records: the one definition shared by the totals table (``tally.py``), its
verification and the figures of a past date.

Counts are flat ``{key: n}`` dictionaries, so they add up the tree:

- ``st.official``, ``st.probationary``: members counted here (in the Party, this is their home branch);
  ``st.transferring_out``: of them, those in an official transfer not yet accepted;
  ``st.temporary_in``: members of other branches attending here on a temporary transfer;
  ``st.temporary_internal``: temporary visits whose home and host both lie under this organisation and under
  no lower one (so a subtree's visitors from outside = its ``temporary_in`` minus its ``temporary_internal``).
- Of the members counted: ``g.<gender>``, ``b.<birth year>`` (age is counted by year of birth, as in the
  Party's statistical reports), ``eth.<code>``, ``rel.<code>``, ``edu.<code>``, ``qual.<code>``, ``th.<code>``
  (catalogue codes; ``none`` when not recorded), ``pa.<YYYY-MM>`` (the month party age counts from, shifted by
  the months spent outside the Party).
- Events, kept with the member's current (or last) organisation: ``ev.admitted.<YYYY-MM>`` (admission and
  re-admission), ``ev.recognised.<YYYY-MM>``, ``ev.exit.<kind>.<YYYY-MM>``.
- ``org.<kind>``: 1 for an organisation that is not dissolved; ``cm.total`` / ``cm.full_time``: committee
  members in office (one per person).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone

from dangvu.core.calendar import add_months, whole_months_between
from dangvu.core.rulebook import loaded_rulebook, rule_entry
from dangvu.members.models import (
    COMMITTEE_POSITIONS,
    IN_PARTY,
    CatalogueItem,
    CommitteeSeat,
    Member,
    MemberPeriod,
    MemberStatus,
    PeriodStatus,
    Transfer,
    TransferKind,
    TransferState,
)
from dangvu.orgs.models import Organisation

MEMBER_FIELDS = (
    "id",
    "organisation_id",
    "status",
    "in_transfer",
    "gender",
    "birth_date",
    "ethnicity_id",
    "religion_id",
    "general_education_id",
    "qualification_id",
    "political_theory_id",
    "admission_date",
    "ceremony_date",
    "readmission_date",
    "official_date",
    "exit_kind",
    "exit_date",
)
_CATALOGUE_KEYS = (
    ("eth", 6),  # ethnicity_id
    ("rel", 7),
    ("edu", 8),
    ("qual", 9),
    ("th", 10),
)
_PARTY_AGE_START_INDEX = {"admission_decision_date": 11, "admission_ceremony": 12}
CHUNK = 20_000


def add(counts: Counter, other: dict, sign: int = 1) -> None:
    for key, n in other.items():
        counts[key] += sign * n


def clean(counts: dict) -> dict:
    """Without zero entries (what the table stores)."""
    return {key: n for key, n in counts.items() if n}


class MemberCounter:
    """Turns member rows (``MEMBER_FIELDS``) into keys. Holds the catalogue codes, the rulebook and the
    gaps."""

    def __init__(self, gaps: dict[int, list[tuple[dt.date, dt.date]]]):
        self.codes = dict(CatalogueItem.objects.values_list("id", "code"))
        self.gaps = gaps
        today = timezone.localdate()
        self.start_index = _PARTY_AGE_START_INDEX.get(rule_entry("party_age.starts_from", today).value, 11)
        self.excludes_gaps = bool(rule_entry("party_age.excludes_gaps", today).value)

    def party_age_from(self, row) -> dt.date:
        start = row[self.start_index] or row[11]
        if self.excludes_gaps:
            months = sum(whole_months_between(left, back) for left, back in self.gaps.get(row[0], ()))
            if months:
                start = add_months(start, months)
        return start

    def keys(self, row, status: str | None = None) -> Iterable[str]:
        status = status or row[2]
        if status in IN_PARTY:
            yield f"st.{status}"
            if row[3] and status == row[2]:
                yield "st.transferring_out"
            yield f"g.{row[4]}"
            yield f"b.{row[5].year}"
            for prefix, index in _CATALOGUE_KEYS:
                yield f"{prefix}.{self.codes.get(row[index], 'none')}"
            yield f"pa.{self.party_age_from(row):%Y-%m}"
        yield from self.event_keys(row)

    @staticmethod
    def event_keys(row) -> Iterable[str]:
        yield f"ev.admitted.{row[11]:%Y-%m}"
        if row[13]:
            yield f"ev.admitted.{row[13]:%Y-%m}"
        if row[14]:
            yield f"ev.recognised.{row[14]:%Y-%m}"
        if row[2] == MemberStatus.EXITED and row[16]:
            yield f"ev.exit.{row[15]}.{row[16]:%Y-%m}"


def _gaps(member_filter: Q | None) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """Closed periods outside the Party, per member (first day outside, first day back)."""
    periods = MemberPeriod.objects.filter(status=PeriodStatus.OUTSIDE, valid_to__isnull=False)
    if member_filter is not None:
        periods = periods.filter(member_filter)
    gaps: dict[int, list] = defaultdict(list)
    for member_id, left, last in periods.values_list("member_id", "valid_from", "valid_to"):
        gaps[member_id].append((left, last + dt.timedelta(days=1)))
    return gaps


def lowest_common(path_a: str, path_b: str) -> str:
    prefix = os.path.commonprefix([path_a, path_b])  # noqa: RUF071  (materialised paths: character prefixes)
    return prefix[: len(prefix) - len(prefix) % Organisation.steplen]


def own_counts(organisations: list[Organisation], *, everything: bool = False) -> dict[int, Counter]:
    """Each organisation's own counts from the live records. ``everything``: ``organisations`` is the whole
    tree (no filter by organisation, grouped queries)."""
    result: dict[int, Counter] = {o.pk: Counter() for o in organisations}
    ids = list(result)
    by_path = {o.path: o.pk for o in organisations}
    for organisation in organisations:
        if organisation.dissolved_on is None:
            result[organisation.pk][f"org.{organisation.kind}"] += 1

    members = Member.objects.all() if everything else Member.objects.filter(organisation_id__in=ids)
    members = members.order_by()
    counter = MemberCounter(_gaps(None if everything else Q(member__organisation_id__in=ids)))
    if everything or members.count() > GROUP_IN_DATABASE_FROM:
        _count_members_in_database(members, counter, result)
    else:
        for row in members.values_list(*MEMBER_FIELDS).iterator(chunk_size=CHUNK):
            counts = result[row[1]]
            for key in counter.keys(row):
                counts[key] += 1

    visits = Transfer.objects.filter(
        kind=TransferKind.TEMPORARY, state=TransferState.AWAY, to_organisation__isnull=False
    )
    if not everything:
        within = Q()
        for organisation in organisations:
            within |= Q(to_organisation__path__startswith=organisation.path)
        visits = visits.filter(within)
    for to_id, to_path, from_path in visits.values_list(
        "to_organisation_id", "to_organisation__path", "from_organisation__path"
    ):
        if to_id in result:
            result[to_id]["st.temporary_in"] += 1
        common = by_path.get(lowest_common(to_path, from_path))
        if common is not None:
            result[common]["st.temporary_internal"] += 1

    seats = CommitteeSeat.objects.current(timezone.localdate()).filter(position__in=COMMITTEE_POSITIONS)
    if not everything:
        seats = seats.filter(term__organisation_id__in=ids)
    _count_seats(seats, lambda organisation_id: result.get(organisation_id))
    return result


# Above this many members, the keys are counted by grouped queries rather than row by row in Python (the same
# keys: ``tests/stats`` checks both ways agree).
GROUP_IN_DATABASE_FROM = 5_000


def _count_members_in_database(members, counter: MemberCounter, result: dict[int, Counter]) -> None:
    """``MemberCounter.keys`` for many members at once: one grouped query per key family."""
    in_party = members.filter(status__in=IN_PARTY)

    def add(prefix: str, queryset, *fields, label=str) -> None:
        for organisation_id, *values, n in queryset.values_list("organisation_id", *fields).annotate(
            n=Count("id")
        ):
            if organisation_id in result:
                result[organisation_id][f"{prefix}{'.'.join(label(v) for v in values)}"] += n

    def month(value) -> str:
        return value if isinstance(value, str) else f"{value:%Y-%m}"

    add("st.", in_party, "status")
    add("st.transferring_out", in_party.filter(in_transfer=True), label=str)
    add("g.", in_party, "gender")
    add("b.", in_party.annotate(year=ExtractYear("birth_date")), "year")
    for prefix, field in (
        ("eth.", "ethnicity_id"),
        ("rel.", "religion_id"),
        ("edu.", "general_education_id"),
        ("qual.", "qualification_id"),
        ("th.", "political_theory_id"),
    ):
        add(prefix, in_party, field, label=lambda pk: counter.codes.get(pk, "none"))
    # Party age counts from the start event's month, shifted by the months outside: grouped for the members
    # who never left, one by one for the few who did.
    start_field = MEMBER_FIELDS[counter.start_index]
    start = (
        Coalesce(start_field, "admission_date") if start_field != "admission_date" else F("admission_date")
    )
    gapped = MemberPeriod.objects.filter(status=PeriodStatus.OUTSIDE, valid_to__isnull=False).values(
        "member_id"
    )
    without_gaps = in_party.exclude(pk__in=gapped)
    add("pa.", without_gaps.annotate(start=TruncMonth(start, output_field=DateField())), "start", label=month)
    for row in in_party.filter(pk__in=gapped).values_list(*MEMBER_FIELDS):
        result[row[1]][f"pa.{counter.party_age_from(row):%Y-%m}"] += 1
    for field, prefix in (
        ("admission_date", "ev.admitted."),
        ("readmission_date", "ev.admitted."),
        ("official_date", "ev.recognised."),
    ):
        dated = members.filter(**{f"{field}__isnull": False}).annotate(on=TruncMonth(field))
        add(prefix, dated, "on", label=month)
    exits = members.filter(status=MemberStatus.EXITED, exit_date__isnull=False)
    add("ev.exit.", exits.annotate(on=TruncMonth("exit_date")), "exit_kind", "on", label=month)


def _count_seats(seats, counts_of) -> None:
    people: dict[tuple[int, int], bool] = {}
    for organisation_id, member_id, full_time in seats.values_list(
        "term__organisation_id", "member_id", "full_time"
    ):
        key = (organisation_id, member_id)
        people[key] = people.get(key, False) or full_time
    for (organisation_id, _member_id), full_time in people.items():
        counts = counts_of(organisation_id)
        if counts is not None:
            counts["cm.total"] += 1
            if full_time:
                counts["cm.full_time"] += 1


# Keys of the members counted, the same whether read from the member or from their period (their status).
MEMBER_KEYS = ("st.official", "st.probationary", "g.", "b.", "eth.", "rel.", "edu.", "qual.", "th.", "pa.")


def _add_periods(counts: Counter, periods, sign: int = 1) -> None:
    """Add (or take away) the member keys of each period's member, counted as the period's status."""
    periods = periods.exclude(status=PeriodStatus.OUTSIDE).order_by()
    member_ids = periods.values("member_id")
    with loaded_rulebook():
        counter = MemberCounter(_gaps(Q(member_id__in=member_ids)))
        rows = periods.values_list("status", *(f"member__{name}" for name in MEMBER_FIELDS))
        for status, *row in rows.iterator(chunk_size=CHUNK):
            for key in counter.keys(row, status=status):
                if key.startswith(MEMBER_KEYS):
                    counts[key] += sign


def _visitors_on(organisation: Organisation, on: dt.date) -> int:
    """Members of branches outside the subtree attending inside it on a temporary transfer on ``on``."""
    return (
        Transfer.objects.filter(kind=TransferKind.TEMPORARY, start_on__lte=on)
        .filter(to_organisation__path__startswith=organisation.path)
        .exclude(from_organisation__path__startswith=organisation.path)
        .exclude(state=TransferState.CANCELLED)
        .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=on))
        .count()
    )


def subtree_counts_on(organisation: Organisation, on: dt.date) -> Counter:
    """The subtree's counts on a past date, counted directly from the timelines (members by the period they
    were counted in, with their record as it is now; organisations and committee seats of that day). Events
    are not dated here: read them from the totals table. ``counts_back_from_today`` is tested against it."""
    counts: Counter = Counter()
    inside = Q(organisation__path__startswith=organisation.path)
    _add_periods(counts, MemberPeriod.objects.on(on).filter(inside))
    counts["st.temporary_in"] = _visitors_on(organisation, on)
    for kind in (
        Organisation.objects.active(on)
        .filter(path__startswith=organisation.path)
        .values_list("kind", flat=True)
    ):
        counts[f"org.{kind}"] += 1
    seats = CommitteeSeat.objects.current(on).filter(
        position__in=COMMITTEE_POSITIONS, term__organisation__path__startswith=organisation.path
    )
    _count_seats(seats, lambda _organisation_id: counts)
    return Counter(clean(counts))


def counts_back_from_today(organisation: Organisation, on: dt.date, today_total: dict) -> Counter:
    """The same figures as ``subtree_counts_on``, from the subtree's totals of today and what changed since
    ``on``: the work follows the number of changes, not the size of the subtree (a province's last year costs
    its year of admissions, transfers and exits, not its half a million members)."""
    today = timezone.localdate()
    counts = Counter({key: n for key, n in today_total.items() if key.startswith((*MEMBER_KEYS, "org."))})
    inside = Q(organisation__path__startswith=organisation.path)
    # Periods begun after ``on`` that still run: counted today, not then.
    _add_periods(counts, MemberPeriod.objects.filter(inside, valid_to__isnull=True, valid_from__gt=on), -1)
    # Periods that ran on ``on`` and have ended since: counted then, not today.
    _add_periods(
        counts,
        MemberPeriod.objects.filter(inside, valid_to__isnull=False, valid_to__gte=on, valid_from__lte=on),
    )
    counts["st.temporary_in"] = _visitors_on(organisation, on)

    changed = Organisation.objects.filter(path__startswith=organisation.path).filter(
        Q(founded_on__gt=on, dissolved_on__isnull=True) | Q(founded_on__lte=on, dissolved_on__gt=on)
    )
    for kind, dissolved_on in changed.values_list("kind", "dissolved_on"):
        counts[f"org.{kind}"] += 1 if dissolved_on else -1

    # Committee members are people per organisation: recount only the (organisation, member) pairs whose
    # seats began or ended since ``on``.
    seats = CommitteeSeat.objects.filter(
        position__in=COMMITTEE_POSITIONS, term__organisation__path__startswith=organisation.path
    )
    pairs = set(
        seats.filter(Q(start_on__gt=on) | Q(end_on__gte=on)).values_list("term__organisation_id", "member_id")
    )
    if pairs:
        members = {member_id for _organisation_id, member_id in pairs}
        for day, sign in ((today, -1), (on, 1)):
            held: dict[tuple[int, int], bool] = {}
            for organisation_id, member_id, full_time in (
                seats.current(day)
                .filter(member_id__in=members)
                .values_list("term__organisation_id", "member_id", "full_time")
            ):
                if (organisation_id, member_id) in pairs:
                    held[(organisation_id, member_id)] = (
                        held.get((organisation_id, member_id), False) or full_time
                    )
            counts["cm.total"] += sign * len(held)
            counts["cm.full_time"] += sign * sum(held.values())
    counts["cm.total"] += today_total.get("cm.total", 0)
    counts["cm.full_time"] += today_total.get("cm.full_time", 0)
    return Counter(clean(counts))


def rolled_up(organisations: list[Organisation], own: dict[int, Counter]) -> dict[int, Counter]:
    """Each organisation's own counts plus its children's totals, deepest level first (every count is added
    once per level rather than once per ancestor)."""
    step = Organisation.steplen
    by_path = {o.path: o.pk for o in organisations}
    totals: dict[int, Counter] = {}
    for organisation in sorted(organisations, key=lambda o: len(o.path), reverse=True):
        total = totals.setdefault(organisation.pk, Counter())
        total.update(own.get(organisation.pk, ()))
        parent = by_path.get(organisation.path[:-step])
        if parent is not None and total:
            totals.setdefault(parent, Counter()).update(total)
    return totals
