"""The demo dataset matches the seed articles and the accounts see what their roles allow."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.test.utils import override_settings

from dangvu.accounts.models import User
from dangvu.core.models import ChangeAction, ChangeRecord
from dangvu.core.text import normalise
from dangvu.demo import DEMO_PASSWORD, load_demo
from dangvu.members import demo as member_demo
from dangvu.members import rules
from dangvu.members.models import (
    COMMITTEE_POSITIONS,
    CommitteeSeat,
    Member,
    MemberPeriod,
    MemberStatus,
    Transfer,
    TransferState,
)
from dangvu.orgs import selectors
from dangvu.orgs.models import GRASSROOTS_KINDS, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module (it has 4,000 members), rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            loaded = load_demo()
        yield loaded
        transaction.set_rollback(True)


def test_demo_tree_and_accounts(demo):
    assert demo is True
    bloc = Organisation.objects.get(name="Đảng bộ Khối các cơ quan tỉnh")
    direct = Counter(Organisation.objects.filter(parent=bloc).values_list("kind", flat=True))
    assert direct["grassroots_committee"] + direct["grassroots_branch"] == 55
    assert Organisation.objects.filter(kind="branch", parent__parent=bloc).count() == 287
    snv = Organisation.objects.get(name="Đảng bộ Sở Nội vụ")
    assert Organisation.objects.filter(parent=snv).count() == 4

    def visible(username):
        return selectors.organisation_list(fetched_by=User.objects.get(username=username)).count()

    assert visible("vanphong") == visible("ubkt") == visible("admin") == 343
    assert visible("bithu_snv") == 5
    assert visible("bithu_cb1") == 1
    assert User.objects.get(username="bithu_cb1").check_password(DEMO_PASSWORD)
    assert load_demo() is False  # never loaded twice


def test_demo_members_are_spread_over_the_tree(demo):
    bloc = Organisation.objects.get(name="Đảng bộ Khối các cơ quan tỉnh")
    in_party = Member.objects.in_party()
    assert 3800 <= in_party.within(bloc).count() <= 4300
    assert 0.04 <= in_party.filter(status=MemberStatus.PROBATIONARY).count() / in_party.count() <= 0.06

    snv = Organisation.objects.get(name="Đảng bộ Sở Nội vụ", code="KCQ.01")
    snv_branches = Organisation.objects.filter(parent=snv)
    assert in_party.within(snv).count() == 76
    assert in_party.filter(organisation__in=snv_branches).count() == 76
    assert all(in_party.filter(organisation=branch).exists() for branch in snv_branches)

    totals = {
        organisation: in_party.within(organisation).count()
        for organisation in Organisation.objects.filter(parent=bloc)
    }
    committees = [n for o, n in totals.items() if o.kind == OrganisationKind.GRASSROOTS_COMMITTEE]
    grassroots_branches = [n for o, n in totals.items() if o.kind == OrganisationKind.GRASSROOTS_BRANCH]
    assert len(committees) == 40 and min(committees) >= 30
    assert len(grassroots_branches) == 15
    assert sorted(n >= 30 for n in grassroots_branches).count(True) == 1  # the due item has one to show

    branches = Organisation.objects.filter(kind=OrganisationKind.BRANCH).annotate(
        total=Count(
            "members", filter=Q(members__status__in=[MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL])
        ),
        official=Count("members", filter=Q(members__status=MemberStatus.OFFICIAL)),
    )
    assert [b.official < 3 for b in branches].count(True) == 1  # the other due item has one too
    assert all(b.total <= 26 for b in branches) and all(b.total >= 5 or b.official < 3 for b in branches)

    # The bulk has its timeline (counts "as of" a date work) and one change record describing it.
    assert MemberPeriod.objects.on(dt.date.today()).exclude(status="outside").count() == in_party.count()
    bulk = ChangeRecord.objects.filter(action=ChangeAction.BULK, organisation=bloc)
    assert bulk.filter(data__members__gte=4000).count() == 1


def test_demo_member_records_look_real(demo):
    families = {name for name, _weight in member_demo.FAMILY_NAMES}
    families |= {name for names in member_demo.ETHNIC_FAMILY_NAMES.values() for name in names}
    givens = {name for names in member_demo.GIVEN_NAMES.values() for name in names}
    givens |= {name for _middles, names in member_demo.MONG_NAMES.values() for name in names}
    rows = list(
        Member.objects.values_list(
            "family_name", "middle_name", "given_name", "name_search", "citizen_id", "card_number", "status"
        )
    )
    for family, middle, given, name_search, *_rest in rows:
        # Vietnamese order: family, middle, given — never Faker's given-first "vi_VN" names.
        assert family in families and given in givens, (family, middle, given)
        assert name_search == normalise(f"{family} {middle} {given}")
    with_diacritics = [r for r in rows if normalise(" ".join(r[:3])) != " ".join(r[:3]).lower()]
    assert len(with_diacritics) / len(rows) > 0.9
    assert any("Đ" in r[0] or "đ" in r[2] for r in rows)

    citizen_ids = [r[4] for r in rows]
    assert all(c and len(c) == 12 and c.isdigit() for c in citizen_ids)
    assert len(set(citizen_ids)) == len(citizen_ids)
    cards = [r[5] for r in rows if r[5]]
    assert len(set(cards)) == len(cards)
    assert all(r[5] is None for r in rows if r[6] == MemberStatus.PROBATIONARY)

    for member in Member.objects.order_by("id")[::97]:
        assert dt.date(1962, 1, 1) <= member.birth_date <= dt.date(2003, 12, 31)
        assert member.ceremony_date - member.admission_date <= dt.timedelta(days=46)
        assert member.citizen_id[3] in "0123" and member.citizen_id[4:6] == f"{member.birth_date:%y}"
        if member.status == MemberStatus.OFFICIAL:
            assert member.official_date == rules.probation_end(member)


def test_demo_committees(demo):
    grassroots = Organisation.objects.filter(kind__in=GRASSROOTS_KINDS)
    seats = CommitteeSeat.objects.filter(position__in=COMMITTEE_POSITIONS, term__organisation__in=grassroots)
    assert 420 <= seats.count() <= 440
    secretaries = Counter(seats.filter(position="secretary").values_list("term__organisation", flat=True))
    assert set(secretaries) == set(grassroots.values_list("pk", flat=True))
    assert set(secretaries.values()) == {1}
    assert 1 <= seats.filter(position="secretary", full_time=True).count() <= 5
    for seat in seats.select_related("member__organisation", "term__organisation"):
        assert seat.member.in_party
        assert seat.member.organisation.path.startswith(seat.term.organisation.path)
    assert ChangeRecord.objects.filter(action=ChangeAction.BULK, data__seats__gte=428).count() == 1


def test_demo_lifecycle_cases_for_the_inbox(demo):
    today = dt.date.today()
    probationary = Member.objects.filter(status=MemberStatus.PROBATIONARY)
    ends = [rules.probation_end(m) for m in probationary]
    assert 2 <= sum(today <= end <= today + dt.timedelta(days=30) for end in ends) <= 6
    assert 1 <= sum(rules.recognition_due(m)[0] < today for m in probationary) <= 3
    official = Transfer.objects.filter(kind="official", to_organisation__isnull=False)
    assert official.filter(state=TransferState.PENDING, present_due__lt=today).count() == 1
    assert official.filter(state=TransferState.PENDING, present_due__gte=today).exists()
    away = Transfer.objects.filter(kind="temporary", state=TransferState.AWAY)
    assert away.filter(end_on__lte=today + dt.timedelta(days=30)).count() == 1
    assert Member.objects.filter(status=MemberStatus.EXITED).count() == 10
    readmitted = Member.objects.get(readmission_date__isnull=False)
    assert readmitted.status == MemberStatus.OFFICIAL
    assert readmitted.periods.filter(status="outside").count() == 1
    assert ChangeRecord.objects.filter(action=ChangeAction.READMIT, object_id=readmitted.pk).exists()


def test_demo_member_account_sees_only_its_own_record(demo):
    user = User.objects.get(username="dangvien")
    assert user.check_password(DEMO_PASSWORD)
    own = Member.objects.get(user=user)
    assert user.full_name == own.full_name
    assert own.organisation.name == "Chi bộ Văn phòng Sở" and own.organisation.parent.code == "KCQ.01"
    assert list(Member.objects.restrict(user)) == [own]

    secretary = Member.objects.get(user__username="bithu_cb1")
    assert secretary.full_name == "Đặng Văn Đức" and secretary.organisation == own.organisation
    assert secretary.seats.filter(position="secretary", term__organisation=own.organisation).exists()
    assert Member.objects.restrict(User.objects.get(username="bithu_cb1")).count() == 24
