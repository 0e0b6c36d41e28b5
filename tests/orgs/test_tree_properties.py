"""Random restructuring never corrupts the tree (hypothesis), on both databases.

After any sequence of create / rename / move / merge / dissolve, accepted or refused:
- treebeard's own consistency check finds nothing (paths, depths, child counts);
- every ``parent`` matches the path; every kind sits under a kind the rulebook allows;
- each organisation's timeline has no overlaps and exactly one open version while it exists;
- the tree "as of" today, rebuilt from the timeline, equals the live tree;
- a refused operation changes nothing and writes no history.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.core.models import ChangeRecord
from dangvu.core.rulebook import rule
from dangvu.orgs import selectors, services
from dangvu.orgs.models import Organisation, OrganisationKind
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "rename", "move", "merge", "dissolve"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=0, max_value=50),
        st.sampled_from(OrganisationKind.values),
    ),
    min_size=1,
    max_size=12,
)


def state():
    return (
        sorted(Organisation.objects.values_list("pk", "path", "parent_id", "name", "dissolved_on")),
        ChangeRecord.objects.count(),
    )


def check_invariants(admin, today: dt.date) -> None:
    assert all(not problems for problems in Organisation.objects.find_problems())
    allowed = rule("org.allowed_children")
    by_path = {o.path: o for o in Organisation.objects.all()}
    for org in by_path.values():
        parent = by_path.get(org.path[: -Organisation.steplen]) if org.depth > 1 else None
        assert org.parent_id == (parent.pk if parent else None), org
        if parent is not None:
            assert org.kind in allowed[parent.kind], (parent.kind, org.kind)
        versions = list(org.versions.order_by("valid_from"))
        for earlier, later in itertools.pairwise(versions):
            assert earlier.valid_to is not None and earlier.valid_to < later.valid_from
        open_versions = [v for v in versions if v.valid_to is None]
        assert len(open_versions) == (0 if org.dissolved_on else 1), org
    live = {o.pk: (o.parent_id, o.name, o.kind) for o in Organisation.objects.active(today)}
    as_of = {}
    for root in selectors.tree_as_of(fetched_by=admin, on=today):
        for node, _depth in root.walk():
            as_of[node.id] = (node.parent_id, node.name, node.kind)
    assert as_of == live


ACCEPTED: dict[str, int] = {}


def apply(operation, orgs, by, counter):
    name, i, j, kind = operation
    source, target = orgs[i % len(orgs)], orgs[j % len(orgs)]
    source.refresh_from_db()
    target.refresh_from_db()
    if name == "create":
        counter[0] += 1
        return make_org(by, source, kind, f"Tổ chức {counter[0]}", f"P.{counter[0]}")
    if name == "rename":
        services.organisation_update(by=by, organisation=source, name=f"{source.name} mới", reason="Đổi tên")
    elif name == "move":
        services.organisation_move(by=by, organisation=source, new_parent=target, reason="Chuyển giao")
    elif name == "merge":
        services.organisation_merge(by=by, source=source, target=target, reason="Hợp nhất")
    else:
        services.organisation_dissolve(by=by, organisation=source, reason="Giải thể")
    return None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_random_restructuring_keeps_the_tree_consistent(db, operations):
    today = dt.date.today()
    with transaction.atomic():
        admin = make_user("quantri_p", "admin")
        root = make_org(admin, None, OrganisationKind.UPPER, "Đảng bộ Gốc", "P")
        committees = [
            make_org(admin, root, OrganisationKind.GRASSROOTS_COMMITTEE, f"Đảng bộ {n}", f"P.G{n}")
            for n in range(2)
        ]
        orgs = [root, *committees]
        orgs += [
            make_org(admin, c, OrganisationKind.BRANCH, f"Chi bộ {c.code}", f"{c.code}.1") for c in committees
        ]
        counter = [0]
        for operation in operations:
            before = state()
            try:
                with transaction.atomic():
                    created = apply(operation, orgs, admin, counter)
            except ValidationError:
                assert state() == before  # refused: nothing written, no history
            else:
                assert state()[1] > before[1]  # accepted: history grew
                ACCEPTED[operation[0]] = ACCEPTED.get(operation[0], 0) + 1
                if created is not None:
                    orgs.append(created)
            check_invariants(admin, today)
        transaction.set_rollback(True)
